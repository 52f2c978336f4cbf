namespace KojiComposer.HubSimulator;

/// <summary>How the simulated hub behaves; defaults are a stock koji 1.35.3 hub's.</summary>
public sealed partial record HubSimulatorOptions
{
    /// <summary>Kerberos realm of the principals the hub knows (hosts follow <c>compile/%s@REALM</c>).</summary>
    public string Realm { get; init; } = "KOJI.TEST";

    /// <summary>The service keytab (<c>HTTP/localhost</c>); null = the process's KRB5_KTNAME.</summary>
    public string? ServiceKeytab { get; init; }

    /// <summary>Where the hub's files go (<c>work/</c>, <c>packages/</c>); a temp dir when null.</summary>
    public string? KojiDir { get; init; }

    /// <summary>The version string in <c>Koji-Version</c> and <c>getKojiVersion</c>.</summary>
    public string Version { get; init; } = "1.35.3";

    /// <summary>Whether the login reply offers header sessions (<c>header-auth</c>); old hubs do not.</summary>
    public bool HeaderAuth { get; init; } = true;

    /// <summary>Hub option DisableURLSessions: query-string sessions are ignored (calls run anonymously).</summary>
    public bool DisableUrlSessions { get; init; }

    /// <summary>Hub option MaxRequestLength (RPC bodies only).</summary>
    public long MaxRequestLength { get; init; } = 4_194_304;

    /// <summary>How the login reply proves the hub's identity.</summary>
    public MutualAuthMode MutualAuth { get; init; } = MutualAuthMode.Normal;

    /// <summary>Serve HTTPS with this certificate (with its private key) instead of plain HTTP.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; init; }

    /// <summary>Port to listen on (0 = any free one).</summary>
    public int Port { get; init; }
}

/// <summary>For tests of the client's mutual-authentication check.</summary>
public enum MutualAuthMode
{
    /// <summary><c>WWW-Authenticate: Negotiate &lt;AP-REP&gt;</c>, as Apache mod_auth_gssapi sends.</summary>
    Normal,

    /// <summary>No <c>WWW-Authenticate</c> header on the 200.</summary>
    Omit,

    /// <summary>A token that is not the hub's AP-REP.</summary>
    Garbage,
}
