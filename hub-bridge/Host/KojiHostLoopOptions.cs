using KojiComposer.HubBridge.Authentication;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubBridge.Transport;

namespace KojiComposer.HubBridge.Host;

/// <summary>How <see cref="KojiHostLoop"/> logs in and paces itself (koji-wire.md §9).</summary>
public sealed record KojiHostLoopOptions
{
    /// <summary>The hub.</summary>
    public required KojiHubOptions Hub { get; init; }

    /// <summary>The builder-host principal (<c>[hub.host]</c>).</summary>
    public required KerberosIdentity Identity { get; init; }

    /// <summary>Take the exclusive session even if a crashed earlier run still holds it.</summary>
    public bool ForceExclusive { get; init; }

    /// <summary>How many tasks we run at once (<c>maxjobs</c> sent with <c>host.updateHost</c>); <c>tagBuild</c>
    /// subtasks are always taken, since their parents wait for them.</summary>
    public int MaxTasks { get; init; } = 20;

    /// <summary>How often the loop asks for assigned tasks (kojid: 15 s).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often <c>host.updateHost</c> is sent, independently of everything else (the hub frees the open
    /// tasks of a host silent for 15 minutes, and stops assigning after 3).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often our open tasks are compared with the hub's (<c>host.getHostTasks</c>) to see cancellations.</summary>
    public TimeSpan CancelCheckInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Wait after a failed loop round (hub unreachable, login refused) before the next; doubles up to
    /// <see cref="MaxErrorDelay"/>.</summary>
    public TimeSpan ErrorDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait between failed rounds.</summary>
    public TimeSpan MaxErrorDelay { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Session options (credentials; tests: HTTP handler and clock). <see cref="KojiSessionOptions.Exclusive"/>
    /// and <see cref="KojiSessionOptions.ForceExclusive"/> are set by the loop.</summary>
    public KojiSessionOptions Session { get; init; } = new();
}
