using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Manifests;

/// <summary>Makes manifests with <c>image-builder manifest</c> (osbuild-run.md §9).</summary>
public sealed class ImageBuilderManifestGenerator(ManifestGeneratorSettings settings, ILogger<ImageBuilderManifestGenerator> logger) : IManifestGenerator
{
    /// <inheritdoc />
    public string Name => "image-builder";

    /// <inheritdoc />
    public Task<string?> VersionAsync(CancellationToken cancellationToken) => throw new NotImplementedException($"{settings} {logger}");

    /// <inheritdoc />
    public Task<GeneratedManifest> GenerateAsync(ManifestRequest request, CancellationToken cancellationToken) => throw new NotImplementedException();
}
