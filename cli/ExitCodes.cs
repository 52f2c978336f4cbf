namespace KojiComposer.Cli;

/// <summary>What <c>kojicomposer</c> exits with; scripts (and Pungi-style wrappers) may test these.</summary>
public static class ExitCodes
{
    /// <summary>Done; for <c>watch</c> and <c>osbuild-image --wait</c>: the task or compose succeeded.</summary>
    public const int Success = 0;

    /// <summary>The watched task or compose failed or was canceled (koji's watcher exits 1 too), or something
    /// failed that has no code of its own; <c>doctor</c>: a check failed.</summary>
    public const int Failure = 1;

    /// <summary>The command line is wrong (System.CommandLine's own parse errors also exit with this, as koji's
    /// optparse does).</summary>
    public const int Usage = 2;

    /// <summary>A config file (cli.toml or the service's) is missing or invalid, or the profile lacks what the
    /// command needs.</summary>
    public const int Configuration = 3;

    /// <summary>Kerberos failed: no ticket, a bad keytab, the other side's identity not proven, login refused; or
    /// the service refused the login (HTTP 401: wrong password, a ticket it does not accept).</summary>
    public const int Authentication = 4;

    /// <summary>The hub could not be reached (after retries).</summary>
    public const int HubUnreachable = 5;

    /// <summary>The hub answered with an error (a fault, or something that is not XML-RPC).</summary>
    public const int HubError = 6;

    /// <summary>The KojiComposer service could not be reached.</summary>
    public const int ServiceUnreachable = 7;

    /// <summary>The service refused or failed the request (its error code and reason are printed).</summary>
    public const int ServiceError = 8;

    /// <summary>The task or compose named does not exist.</summary>
    public const int NotFound = 9;

    /// <summary>Interrupted (Ctrl-C): the task or compose goes on; watch it again later.</summary>
    public const int Interrupted = 130;
}
