using KojiComposer.Config.Binding;

namespace KojiComposer.Config;

/// <summary>The <c>[hub]</c> section: where the Koji hub is, how we talk to it, and who logs in.</summary>
public sealed record HubOptions
{
    /// <summary>Default of <c>timeout_seconds</c>.</summary>
    public const int DefaultTimeoutSeconds = 300;

    /// <summary>Default of <c>upload_chunk_bytes</c> (8 MiB).</summary>
    public const int DefaultUploadChunkBytes = 8 * 1024 * 1024;

    /// <summary>Default of <c>max_response_bytes</c> (256 MiB).</summary>
    public const int DefaultMaxResponseBytes = 256 * 1024 * 1024;

    private const int MinChunkBytes = 64 * 1024;
    private const int MaxChunkBytes = 256 * 1024 * 1024;
    private const int MinResponseBytes = 64 * 1024;
    private const int MaxResponseBytesLimit = 1024 * 1024 * 1024;
    private const int MaxTimeoutSeconds = 24 * 60 * 60;

    private static readonly IReadOnlyList<(string, SessionTransport)> Transports =
        [("auto", SessionTransport.Auto), ("header", SessionTransport.Header), ("query", SessionTransport.Query)];

    // Stands in for an invalid or missing url in options that are never returned: any error makes Parse throw.
    private static readonly Uri Unbound = new("http://unbound.invalid/");

    /// <summary><c>url</c> (required): the hub's XML-RPC endpoint, e.g. <c>https://koji.example.com/kojihub</c>.</summary>
    public required Uri Url { get; init; }

    /// <summary><c>topurl</c>: base URL of the hub's files (repositories, build outputs), if configured.</summary>
    public Uri? TopUrl { get; init; }

    /// <summary><c>weburl</c>: base URL of the Koji web UI, for task links, if configured.</summary>
    public Uri? WebUrl { get; init; }

    /// <summary><c>session_transport</c>: how session credentials are sent; default <see cref="SessionTransport.Auto"/>.</summary>
    public SessionTransport SessionTransport { get; init; } = SessionTransport.Auto;

    /// <summary><c>timeout_seconds</c>: limit for one HTTP request; default 300 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(DefaultTimeoutSeconds);

    /// <summary><c>upload_chunk_bytes</c>: size of one <c>uploadFile</c> chunk, 64 KiB to 256 MiB; default 8 MiB.</summary>
    public int UploadChunkBytes { get; init; } = DefaultUploadChunkBytes;

    /// <summary><c>max_response_bytes</c>: largest XML-RPC reply accepted, 64 KiB to 1 GiB; default 256 MiB.</summary>
    public int MaxResponseBytes { get; init; } = DefaultMaxResponseBytes;

    /// <summary>
    /// <c>ca_bundle</c>: absolute path of a PEM file of CA certificates that sign the hub's HTTPS certificate (koji's
    /// <c>serverca</c>), for hubs behind a site CA; null trusts the system store.
    /// </summary>
    public string? CaBundle { get; init; }

    /// <summary><c>[hub.host]</c>: the builder-host identity.</summary>
    public HostIdentityOptions Host { get; init; } = new();

    /// <summary><c>[hub.content_generator]</c>: the content-generator identity.</summary>
    public ContentGeneratorOptions ContentGenerator { get; init; } = new();

    /// <summary><c>[hub.retry]</c>: transport retries.</summary>
    public RetryOptions Retry { get; init; } = new();

    /// <param name="section">The <c>[hub]</c> section.</param>
    /// <param name="usesHostIdentity">True when the roles log in as the builder host (scheduler, hub-bridge). A
    /// builder-only process uploads as the content generator and never uses <c>[hub.host]</c>, so it need not
    /// name a host identity.</param>
    internal static HubOptions Bind(ConfigSection section, bool usesHostIdentity = true)
    {
        var host = section.Section("host");
        var contentGenerator = section.Section("content_generator");
        var options = new HubOptions
        {
            Url = section.Url("url", required: true) ?? Unbound,
            TopUrl = section.Url("topurl"),
            WebUrl = section.Url("weburl"),
            SessionTransport = section.Choice("session_transport", SessionTransport.Auto, Transports),
            Timeout = TimeSpan.FromSeconds(section.Integer("timeout_seconds", DefaultTimeoutSeconds, 1, MaxTimeoutSeconds)),
            UploadChunkBytes = section.Integer("upload_chunk_bytes", DefaultUploadChunkBytes, MinChunkBytes, MaxChunkBytes, ConfigText.Bytes),
            MaxResponseBytes = section.Integer("max_response_bytes", DefaultMaxResponseBytes, MinResponseBytes, MaxResponseBytesLimit, ConfigText.Bytes),
            CaBundle = section.ReadableFile("ca_bundle", "CA bundle"),
            Host = HostIdentityOptions.Bind(host),
            ContentGenerator = ContentGeneratorOptions.Bind(contentGenerator),
            Retry = RetryOptions.Bind(section.Section("retry")),
        };
        CheckIdentitiesDiffer(host, contentGenerator, options.Host.Principal, options.ContentGenerator.Principal, usesHostIdentity);
        return options;
    }

    // The host identity holds an exclusive session (every host.* call needs one), and while it does the hub
    // rejects every other session of the same Koji user with 1006 "User locked by another session" (koji-wire.md
    // §4.2, kojihub/auth.py). The content generator must therefore log in as a different user.
    private static void CheckIdentitiesDiffer(
        ConfigSection hostSection, ConfigSection cgSection, string? hostPrincipal, string? cgPrincipal, bool usesHostIdentity)
    {
        const string Reason = "the host's exclusive session locks out every other session of the same Koji user "
            + "(\"User locked by another session\", koji-wire.md §4.2)";
        if (hostPrincipal is not null && string.Equals(hostPrincipal, cgPrincipal, StringComparison.Ordinal))
        {
            cgSection.Error("principal", $"must differ from {hostSection.KeyPath("principal")}: {Reason}");
        }
        else if (usesHostIdentity && !hostSection.Has("principal") && !cgSection.Has("principal"))
        {
            // One credential cache holds one principal, so two identities taken from it are the same user.
            cgSection.Error(
                "principal",
                $"required when {hostSection.KeyPath("principal")} is not set either: both identities would log in "
                + $"as the ambient credential cache's principal, and {Reason}");
        }
    }
}
