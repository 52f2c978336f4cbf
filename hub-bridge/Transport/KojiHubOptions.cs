namespace KojiComposer.HubBridge.Transport;

/// <summary>How to reach one Koji hub. Immutable: built once from config, shared by every session.</summary>
public sealed record KojiHubOptions
{
    /// <summary>The hub's XML-RPC endpoint, e.g. <c>https://koji.example.com/kojihub</c>.</summary>
    public required Uri Url { get; init; }

    /// <summary>Per HTTP request (an upload chunk is one request).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Bytes per rawUpload request. Koji's CLI uses 1 MiB; larger chunks cost fewer round trips (see the upload
    /// benchmark in the README) and memory stays two chunks per upload.
    /// </summary>
    public int UploadChunkBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Refuse replies larger than this (a hostile or broken hub must not exhaust memory).</summary>
    public long MaxResponseBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>How the session travels: headers (preferred) or the legacy URL query.</summary>
    public SessionTransport SessionTransport { get; init; } = SessionTransport.Auto;

    /// <summary>
    /// PEM file of CA certificates that sign the hub's HTTPS certificate (koji's <c>serverca</c>); null trusts the
    /// system store. The host name is checked either way.
    /// </summary>
    public string? CaBundle { get; init; }

    /// <summary>Retry policy for calls that are safe to repeat.</summary>
    public KojiRetryOptions Retry { get; init; } = new();

    /// <summary>The login endpoint, <c>&lt;hub&gt;/ssllogin</c> (koji-wire.md §3).</summary>
    public Uri LoginUrl => new(Url.AbsoluteUri.TrimEnd('/') + "/ssllogin");
}

/// <summary>Where the session id, key and call number go (koji-wire.md §4.1).</summary>
public enum SessionTransport
{
    /// <summary>Headers when the login reply says <c>header-auth</c>, else the URL query.</summary>
    Auto,

    /// <summary><c>Koji-Session-Id</c>, <c>Koji-Session-Key</c>, <c>Koji-Session-Callnum</c> headers.</summary>
    Header,

    /// <summary><c>?session-id=&amp;session-key=&amp;callnum=</c>, for hubs that do not answer <c>header-auth</c>.</summary>
    Query,
}

/// <summary>Backoff for transport errors (koji-wire.md §4.3: composer retries 5 times, 1 to 30 s).</summary>
public sealed record KojiRetryOptions
{
    public int Attempts { get; init; } = 5;

    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait before asking again when the hub says it is offline (fault 1014).</summary>
    public TimeSpan ServerOfflineWait { get; init; } = TimeSpan.FromSeconds(60);
}
