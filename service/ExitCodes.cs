namespace KojiComposer.Service;

/// <summary>What <c>kojicomposerd</c> exits with. The values mean what they mean for <c>kojicomposer</c>
/// (<c>cli/ExitCodes.cs</c>), so one table in the documentation serves both; systemd's
/// <c>RestartPreventExitStatus=</c> can name <see cref="Configuration"/> and <see cref="BuilderPrerequisites"/>, which a
/// restart does not fix. <c>kojicomposer</c> uses 4–6 for its hub errors; the service's own codes start at 7.</summary>
public static class ExitCodes
{
    /// <summary>Done: <c>check-config</c> found nothing wrong, or <c>serve</c> stopped cleanly.</summary>
    public const int Success = 0;

    /// <summary>Something failed that has no code of its own (e.g. the listen address is taken).</summary>
    public const int Failure = 1;

    /// <summary>The command line is wrong.</summary>
    public const int Usage = 2;

    /// <summary>The config file is missing or invalid; nothing was started.</summary>
    public const int Configuration = 3;

    /// <summary>The builder role cannot build on this machine (osbuild or the manifest generator is missing, does
    /// not run, or is too old); nothing was started.</summary>
    public const int BuilderPrerequisites = 7;
}
