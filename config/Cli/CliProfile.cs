namespace KojiComposer.Config.Cli;

/// <summary>How <c>kojicomposer</c> reaches a Koji hub and a KojiComposer service: one table of
/// <c>cli.toml</c>, like a section of koji's own config (<c>[koji]</c>, <c>[stg]</c>, chosen with <c>-p</c>).</summary>
public sealed record CliProfile
{
    /// <summary>The default profile's name, as koji's.</summary>
    public const string DefaultName = "koji";

    /// <summary>The table's name.</summary>
    public required string Name { get; init; }

    /// <summary><c>server</c>: the hub's XML-RPC URL (koji's <c>server</c>), e.g. <c>https://koji.example.com/kojihub</c>.</summary>
    public Uri? Server { get; init; }

    /// <summary><c>weburl</c>: the Koji web UI (koji's <c>weburl</c>) for <c>Task info:</c> links; when absent,
    /// <see cref="Server"/> with a last path segment <c>kojihub</c> turned into <c>koji</c>.</summary>
    public Uri? WebUrl { get; init; }

    /// <summary><c>topurl</c>: the hub's file tree (koji's <c>topurl</c>), for links to task logs.</summary>
    public Uri? TopUrl { get; init; }

    /// <summary><c>service</c>: the KojiComposer service's base URL (its <c>[web]</c> address), e.g.
    /// <c>https://kojicomposer.example.com</c>; absent: compose commands need <c>--server</c>, and watch reads
    /// compose-status.json from the hub.</summary>
    public Uri? Service { get; init; }

    /// <summary><c>principal</c>: the Kerberos principal to log in as; absent: whoever the ambient credential cache
    /// holds (after <c>kinit</c>).</summary>
    public string? Principal { get; init; }

    /// <summary><c>keytab</c>: a keytab with the principal's keys (needs <see cref="Principal"/>); absent: the
    /// ambient credential cache.</summary>
    public string? Keytab { get; init; }

    /// <summary><c>krb5_config</c>: a krb5.conf to use instead of the system's.</summary>
    public string? Krb5Config { get; init; }

    /// <summary><c>ca_bundle</c>: PEM file of the CA that signed the hub's certificate (koji's <c>serverca</c>).</summary>
    public string? CaBundle { get; init; }

    /// <summary><c>service_ca_bundle</c>: PEM file of the CA that signed the service's certificate.</summary>
    public string? ServiceCaBundle { get; init; }

    /// <summary><c>service_auth</c>: how to log in to the service: <c>auto</c> (default: none, then Negotiate when
    /// challenged), <c>none</c>, <c>negotiate</c> (Kerberos, the same identity as for the hub) or <c>basic</c>.</summary>
    public CliServiceAuth ServiceAuth { get; init; } = CliServiceAuth.Auto;

    /// <summary><c>service_user</c>: the user for <c>basic</c>.</summary>
    public string? ServiceUser { get; init; }

    /// <summary><c>service_password_file</c>: a file holding the <c>basic</c> password (first line); the password is
    /// never written into cli.toml. <c>KOJICOMPOSER_PASSWORD</c> in the environment takes precedence.</summary>
    public string? ServicePasswordFile { get; init; }

    /// <summary><c>poll_interval_seconds</c>: how often <c>--wait</c> and <c>watch</c> look again; 0.1 to 600,
    /// default 6 (koji's <c>poll_interval</c>).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary><c>max_retries</c>: attempts for a hub or service call whose outcome is unclear (koji's
    /// <c>max_retries</c>); 1 to 100, default 5.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary><c>retry_interval_seconds</c>: the first wait between attempts, doubling up to 30 s; 0.01 to 60,
    /// default 1.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Where each value came from, for <c>doctor</c> and errors: the files read, in order.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary><see cref="WebUrl"/>, or the one derived from <see cref="Server"/>.</summary>
    public Uri? EffectiveWebUrl => WebUrl ?? DeriveWebUrl(Server);

    private static Uri? DeriveWebUrl(Uri? server)
    {
        if (server is null)
        {
            return null;
        }

        var path = server.AbsolutePath.TrimEnd('/');
        return path.EndsWith("/kojihub", StringComparison.Ordinal)
            ? new UriBuilder(server) { Path = path[..^"kojihub".Length] + "koji", Query = "" }.Uri
            : null;
    }
}

/// <summary>Values of <c>service_auth</c>.</summary>
public enum CliServiceAuth
{
    /// <summary>No credentials first; Negotiate when the service asks for it.</summary>
    Auto,

    /// <summary>Never send credentials.</summary>
    None,

    /// <summary>Kerberos (HTTP Negotiate) with the profile's identity.</summary>
    Negotiate,

    /// <summary>HTTP Basic with <c>service_user</c> and the password file.</summary>
    Basic,
}
