using System.Text.Json.Nodes;
using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Koji;

/// <summary>
/// The CGImport metadata of a compose (cg-import.md §6), built from the stored image results alone
/// (<c>ImageBuildResult.Koji</c>): build (with <c>task_id</c>, <c>extra.typeinfo.image</c>,
/// <c>extra.osbuild_manifest</c>), one buildroot per image with its build-pipeline RPMs, and per image its image,
/// manifest, log and SBOM outputs.
/// </summary>
public static class CGMetadata
{
    /// <summary>The metadata document for <paramref name="compose"/>, every image of which succeeded.</summary>
    /// <param name="compose">The compose, reserved, all images successful with results.</param>
    /// <param name="contentGenerator">The CG name for <c>buildroots[].content_generator.name</c>.</param>
    /// <param name="producerVersion">Our version for the manifests' <c>osbuild_composer_version</c>, e.g.
    /// <c>kojicomposer-0.5.0</c>.</param>
    /// <param name="endTime">The import time (<c>build.end_time</c>).</param>
    /// <exception cref="InvalidOperationException">The compose is not reserved, or an image has no Koji files.</exception>
    public static JsonObject Build(Compose compose, string contentGenerator, string producerVersion, DateTimeOffset endTime) => throw new NotImplementedException();
}
