using System.Text.Json.Nodes;
using KojiComposer.Contracts.Images;

namespace KojiComposer.Builder.Osbuild;

/// <summary>The RPMs of an osbuild result (<c>org.osbuild.rpm</c> stage metadata, osbuild-run.md §4) as Koji
/// components, split by pipeline role.</summary>
public static class OsbuildPackages
{
    /// <summary>Buildroot components (packages of <see cref="PipelineNames.Build"/>) and image components (packages
    /// of <see cref="PipelineNames.Payload"/>), each de-duplicated by NEVRA, in first-seen order.</summary>
    public static (IReadOnlyList<RpmComponent> Buildroot, IReadOnlyList<RpmComponent> Image) Split(JsonObject document, PipelineNames pipelines) =>
        throw new NotImplementedException($"{document} {pipelines}");
}
