using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KojiComposer.Contracts.Errors;

namespace KojiComposer.Builder.Manifests;

/// <summary>
/// Reads why <c>image-builder manifest</c> failed from its stderr. Depsolve errors arrive as osbuild/images'
/// <c>depsolvednf.Error</c> text, <c>DNF error occurred: &lt;Kind&gt;: &lt;reason&gt;</c>, and map like composer's
/// worker (<c>workerClientErrorFrom</c>): DepsolveError → 20, MarkingErrors → 21, RepoError → 25, any other kind
/// → 22; reason <c>DNF error occurred: &lt;Kind&gt;</c>, details the DNF reason. Everything else is error 8 with
/// the stderr tail.
/// </summary>
internal static partial class ImageBuilderFailure
{
    [GeneratedRegex(@"DNF error occurred: (?<kind>[A-Za-z]+): (?<reason>.*)", RegexOptions.Singleline)]
    private static partial Regex DnfError();

    [GeneratedRegex(@"^(?:error: )?(?<message>.*(?:cannot find image for|no match for|unknown distro|distro .* not found|invalid distro|image type .* not|unknown image type).*)$",
        RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex UnknownTarget();

    /// <summary>The job error for a failed run with <paramref name="exitCode"/> and <paramref name="stderr"/>.</summary>
    public static ComposeStepException From(int exitCode, string stderr, Secrets secrets)
    {
        var dnf = DnfError().Match(stderr);
        if (dnf.Success)
        {
            var kind = dnf.Groups["kind"].Value;
            var id = kind switch
            {
                "DepsolveError" => JobErrorCodes.DnfDepsolveError,
                "MarkingErrors" => JobErrorCodes.DnfMarkingErrors,
                "RepoError" => JobErrorCodes.DnfRepoError,
                _ => JobErrorCodes.DnfOtherError,
            };
            return new ComposeStepException(new JobError(id, $"DNF error occurred: {kind}", ManifestOutput.Tail(dnf.Groups["reason"].Value, secrets)));
        }

        var unknown = UnknownTarget().Match(stderr);
        if (unknown.Success)
        {
            return ManifestErrors.Generation(secrets.Redact(unknown.Groups["message"].Value.Trim()),
                new JsonObject { ["exit_code"] = exitCode, ["stderr"] = ManifestOutput.Tail(stderr, secrets) });
        }

        return ManifestErrors.Generation($"image-builder manifest failed (exit code {exitCode})",
            new JsonObject { ["exit_code"] = exitCode, ["stderr"] = ManifestOutput.Tail(stderr, secrets) });
    }
}
