using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Manifests;

/// <summary>Makes manifests with a site's own command: request JSON on stdin, manifest JSON on stdout
/// (docs/manifest-generators.md).</summary>
public sealed class ExternalManifestGenerator(ManifestGeneratorSettings settings, ILogger<ExternalManifestGenerator> logger) : IManifestGenerator
{
    /// <inheritdoc />
    public string Name => "external";

    /// <inheritdoc />
    public Task<string?> VersionAsync(CancellationToken cancellationToken) => throw new NotImplementedException($"{settings} {logger}");

    /// <inheritdoc />
    public Task<GeneratedManifest> GenerateAsync(ManifestRequest request, CancellationToken cancellationToken) => throw new NotImplementedException();
}
