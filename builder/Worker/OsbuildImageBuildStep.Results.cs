using System.Text.Json.Nodes;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;

namespace KojiComposer.Builder.Worker;

public sealed partial class OsbuildImageBuildStep
{
    /// <summary>The facts every result carries (composer-api.md §4.1): arch, host OS, osbuild version, pipeline
    /// roles and osbuild's own document.</summary>
    private static ImageBuildResult Facts(Build build, PipelineNames pipelines, string osbuildVersion, JsonObject? document) => new()
    {
        Arch = build.Request.Arch,
        HostOs = build.HostOs,
        OsbuildVersion = osbuildVersion,
        PipelineNames = pipelines,
        OsbuildOutput = document?.DeepClone(),
    };

    /// <summary>A failed build after the manifest was made: the error, the manifest and a result
    /// (<c>success: false</c>, <c>job_error</c>, osbuild's document when it printed one).</summary>
    private static ImageBuildOutcome Failed(
        Build build, JobError error, string manifest, PipelineNames pipelines, string osbuildVersion, JsonObject? document)
    {
        var result = Facts(build, pipelines, osbuildVersion, document) with { Success = false, UploadStatus = "failure", JobError = error.ToJson() };
        return ImageBuildOutcome.Failed(error, manifest: manifest, result: result.ToJson());
    }
}
