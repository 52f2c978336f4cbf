using System.Text.Json.Nodes;
using KojiComposer.Contracts.Errors;

namespace KojiComposer.Builder.Manifests;

/// <summary>
/// Job error codes of manifest generation that contracts' <see cref="JobErrorCodes"/> does not name (composer's
/// <c>clienterrors</c>, osbuild-run.md §10), and the exceptions made from them.
/// </summary>
internal static class ManifestErrors
{
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

    /// <summary>Depsolving (manifest generation) took longer than allowed.</summary>
    public const int DepsolveTimeout = 40;

    /// <summary>A bad image request or customization (error 29, ParsingJobArgs).</summary>
    public static ComposeStepException BadArguments(string reason) =>
        new(new JobError(JobErrorCodes.ParsingJobArgs, reason));

    /// <summary>Generation failed (error 8) with <paramref name="details"/> (already redacted).</summary>
    public static ComposeStepException Generation(string reason, JsonNode? details = null) =>
        new(new JobError(JobErrorCodes.ManifestGeneration, reason, details));
}
