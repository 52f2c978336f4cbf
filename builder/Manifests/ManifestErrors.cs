using System.Text.Json.Nodes;
using KojiComposer.Contracts.Errors;

namespace KojiComposer.Builder.Manifests;

/// <summary>
/// The exceptions manifest generation fails with (codes from <see cref="JobErrorCodes"/>, osbuild-run.md §10).
/// </summary>
internal static class ManifestErrors
{
    /// <summary>A bad image request or customization (error 29, ParsingJobArgs).</summary>
    public static ComposeStepException BadArguments(string reason) =>
        new(new JobError(JobErrorCodes.ParsingJobArgs, reason));

    /// <summary>Generation failed (error 8) with <paramref name="details"/> (already redacted).</summary>
    public static ComposeStepException Generation(string reason, JsonNode? details = null) =>
        new(new JobError(JobErrorCodes.ManifestGeneration, reason, details));
}
