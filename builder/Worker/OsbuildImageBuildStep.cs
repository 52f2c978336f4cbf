using KojiComposer.Builder.Catalogue;
using KojiComposer.Builder.Manifests;
using KojiComposer.Builder.Osbuild;
using KojiComposer.Builder.Uploads;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Worker;

/// <summary>
/// The builder's <see cref="IImageBuildStep"/>: catalogue lookup, manifest, osbuild, artifact collection, the
/// rendered log, Koji uploads, and the stored result for the import. Its work directory is removed when the build
/// ends, whatever the outcome.
/// </summary>
public sealed class OsbuildImageBuildStep(
    BuilderSettings settings,
    ImageTypeCatalogue catalogue,
    IManifestGenerator generator,
    IOsbuildRunner osbuild,
    IKojiArtifactUploader uploader,
    ILogger<OsbuildImageBuildStep> logger) : IImageBuildStep
{
    /// <inheritdoc />
    public Task<ImageBuildOutcome> BuildAsync(ImageBuildRequest request, IImageBuildReporter reporter, CancellationToken cancellationToken)
    {
        _ = (settings, catalogue, generator, osbuild, uploader, logger);
        return Task.FromResult(ImageBuildOutcome.Failed(new JobError(JobErrorCodes.InvalidConfig, "not built yet")));
    }
}
