namespace KojiComposer.Scheduler.Hosting;

/// <summary>The scheduler's web front (API, dashboard, compose pages, metrics, health). Bound from the
/// <c>[web]</c> section by the service.</summary>
public sealed record WebSettings
{
    /// <summary>Address and port to listen on, e.g. <c>http://127.0.0.1:8700</c>.</summary>
    public IReadOnlyList<string> Urls { get; init; } = ["http://127.0.0.1:8700"];

    /// <summary>The URL users reach the service at (for links and the Koji task result's <c>composer.server</c>);
    /// null means the first of <see cref="Urls"/>.</summary>
    public Uri? PublicUrl { get; init; }

    /// <summary>Koji web UI base, for task and build links on the pages; null for no links.</summary>
    public Uri? KojiWebUrl { get; init; }

    /// <summary>Accept requests from other hosts (authenticated with <see cref="Users"/> or
    /// <see cref="NegotiatePrincipals"/>). False (the default): loopback requests only, for every path.</summary>
    public bool AllowRemote { get; init; }

    /// <summary>The role of unauthenticated requests from the loopback interface; null makes them authenticate like
    /// remote ones. Set it to null when a reverse proxy on this host forwards remote users: to us they all come
    /// from loopback.</summary>
    public WebRole? LocalRole { get; init; } = WebRole.Operator;

    /// <summary>Users that log in with HTTP Basic (only with <see cref="AllowRemote"/>; use TLS in front).</summary>
    public IReadOnlyList<WebUser> Users { get; init; } = [];

    /// <summary>Kerberos principals accepted with HTTP Negotiate (SPNEGO), e.g. <c>alice@EXAMPLE.COM</c>. The
    /// service's keytab (<c>HTTP/&lt;host&gt;</c>) comes from <c>KRB5_KTNAME</c>. Empty: Negotiate is not offered.</summary>
    public IReadOnlyList<NegotiatePrincipal> NegotiatePrincipals { get; init; } = [];

    /// <summary>The realm named in the Basic challenge.</summary>
    public string BasicRealm { get; init; } = "KojiComposer";
}

/// <summary>What a web user may do.</summary>
public enum WebRole
{
    /// <summary>View the API, pages, dashboard, health and metrics.</summary>
    ReadOnly,

    /// <summary>View, submit, cancel, retry failed images, and act on the Hangfire dashboard.</summary>
    Operator,
}

/// <summary>A user that logs in with HTTP Basic.</summary>
/// <param name="Name">User name.</param>
/// <param name="PasswordHash">PBKDF2 hash made by <c>WebPasswordHash.Create</c>
/// (<c>pbkdf2-sha256$iterations$salt$hash</c>); never the password itself.</param>
/// <param name="Role">What the user may do.</param>
public sealed record WebUser(string Name, string PasswordHash, WebRole Role)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Role})";
}

/// <summary>A Kerberos principal accepted with HTTP Negotiate.</summary>
/// <param name="Principal">The client principal as Kerberos names it, <c>user@REALM</c> (case-sensitive).</param>
/// <param name="Role">What the principal may do.</param>
public sealed record NegotiatePrincipal(string Principal, WebRole Role);
