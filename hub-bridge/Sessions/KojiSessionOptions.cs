using KojiComposer.HubBridge.Authentication;

namespace KojiComposer.HubBridge.Sessions;

/// <summary>How a session logs in and behaves.</summary>
public sealed record KojiSessionOptions
{
    /// <summary>
    /// Ask for an exclusive session after login (builder hosts must: every host.* call needs one, koji-wire.md §4.2).
    /// </summary>
    public bool Exclusive { get; init; }

    /// <summary>
    /// Take exclusivity from another session of the same user (a crashed earlier run keeps it otherwise). Only when
    /// no other instance of this host can be running.
    /// </summary>
    public bool ForceExclusive { get; init; }

    /// <summary>The process's Kerberos credentials; <see cref="KerberosCredentials.Shared"/> when null.</summary>
    public KerberosCredentials? Credentials { get; init; }

    /// <summary>For tests: the HTTP handler to use.</summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>For tests: the clock used for backoff delays.</summary>
    public TimeProvider? Time { get; init; }
}
