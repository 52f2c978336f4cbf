namespace KojiComposer.Contracts.Errors;

/// <summary>
/// Job error codes. The numbers are osbuild-composer's (<c>internal/worker/clienterrors/errors.go</c>, listed in
/// osbuild-run.md §10) wherever the meaning is the same, so that people and tools that know composer's codes read
/// ours the same way. Codes of our own start at 1000 and never collide with composer's.
/// </summary>
public static class JobErrorCodes
{
    /// <summary>Bad target options; Koji host not configured; Koji login failed.</summary>
    public const int InvalidTargetConfig = 2;

    /// <summary>The manifest could not be made because depsolving failed.</summary>
    public const int DepsolveDependency = 5;

    /// <summary>Manifest serialization failed.</summary>
    public const int ManifestGeneration = 8;

    /// <summary>osbuild failed or could not run.</summary>
    public const int BuildJob = 10;

    /// <summary>An upload failed (Koji chunk, S3, blob, registry).</summary>
    public const int UploadingImage = 11;

    /// <summary>Cloud image registration/import failed.</summary>
    public const int ImportingImage = 12;

    /// <summary>The import was skipped because the reservation or an image build failed.</summary>
    public const int KojiFailedDependency = 13;

    /// <summary>Local failure preparing the Koji files.</summary>
    public const int KojiBuild = 14;

    /// <summary>The build reservation (CGInitBuild) failed.</summary>
    public const int KojiInit = 15;

    /// <summary>The import (CGImport) failed, or the results were malformed.</summary>
    public const int KojiFinalize = 16;

    /// <summary>The worker is misconfigured (e.g. no image build step for this role).</summary>
    public const int InvalidConfig = 17;

    /// <summary>DNF could not resolve the package set (<c>DepsolveError</c>).</summary>
    public const int DnfDepsolveError = 20;

    /// <summary>DNF could not mark packages for installation, e.g. a missing package (<c>MarkingErrors</c>).</summary>
    public const int DnfMarkingErrors = 21;

    /// <summary>Any other DNF error kind.</summary>
    public const int DnfOtherError = 22;

    /// <summary>A depsolve failure that did not come from DNF itself.</summary>
    public const int RpmmdError = 23;

    /// <summary>DNF could not load a repository (<c>RepoError</c>).</summary>
    public const int DnfRepoError = 25;

    /// <summary>A dependency failed, so this step could not run (composer: "JobDependency").</summary>
    public const int JobDependency = 26;

    /// <summary>The worker running the step stopped heart-beating more often than allowed (composer:
    /// "JobMissingHeartbeat").</summary>
    public const int JobMissingHeartbeat = 27;

    /// <summary>At least one upload target failed.</summary>
    public const int TargetError = 28;

    /// <summary>Bad job arguments.</summary>
    public const int ParsingJobArgs = 29;

    /// <summary>The step crashed with an unexpected error (composer: "JobPanicked").</summary>
    public const int JobPanicked = 37;

    /// <summary>Depsolving (manifest generation) took longer than allowed.</summary>
    public const int DepsolveTimeout = 40;

    /// <summary>Ours: the compose was canceled by an operator before this step finished.</summary>
    public const int Canceled = 1001;

    /// <summary>Ours: a transient error (hub, network, database) persisted through every retry.</summary>
    public const int RetriesExhausted = 1002;

    /// <summary>Dependency-type codes: in a compose status their <c>details</c> list the failed dependencies' errors
    /// (composer-api.md §4).</summary>
    public static bool IsDependencyError(int id) => id is 5 or 9 or 13 or 26 or 31 or 35 or 42;
}
