namespace KojiComposer.Cli;

/// <summary>What <c>kojicomposer</c> exits with; scripts (and Pungi-style wrappers) may test these.</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Success = 0;

    /// <summary>Something failed that has no code of its own.</summary>
    public const int Failure = 1;

    /// <summary>The command line is wrong (System.CommandLine's own parse errors also exit with this).</summary>
    public const int Usage = 2;

    /// <summary>The config file is missing or invalid.</summary>
    public const int Configuration = 3;

    /// <summary>Kerberos failed: no ticket, a bad keytab, the hub's identity not proven, login refused.</summary>
    public const int Authentication = 4;

    /// <summary>The hub could not be reached (after retries).</summary>
    public const int HubUnreachable = 5;

    /// <summary>The hub answered with an error (a fault, or something that is not XML-RPC).</summary>
    public const int HubError = 6;
}
