using System.Text.Json.Nodes;
using KojiComposer.Builder.Catalogue;
using KojiComposer.Builder.Manifests;
using KojiComposer.Builder.Osbuild;
using KojiComposer.Builder.Targets;
using KojiComposer.Builder.Uploads;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Worker;

/// <summary>
/// The builder's <see cref="IImageBuildStep"/> (osbuild-run.md §1), one image at a time, in composer's job shape:
/// catalogue lookup → manifest → osbuild → artifact → Koji files and upload → cloud target → the stored result for the import. A
/// failed build is an outcome carrying its job error (and, once osbuild ran, the result document); only transient
/// errors, upload errors and cancellation leave as exceptions. The work directory is removed when the build ends,
/// whatever the outcome.
/// </summary>
public sealed partial class OsbuildImageBuildStep(
    BuilderSettings settings,
    ImageTypeCatalogue catalogue,
    IManifestGenerator generator,
    IOsbuildRunner osbuild,
    IKojiArtifactUploader uploader,
    ILogger<OsbuildImageBuildStep> logger,
    UploadTargetSet targets) : IImageBuildStep
{
    private string? _osbuildVersion;
    private string? _hostOs;

    /// <summary>Renders the <c>.osbuild.log</c> text (a seam for tests; <see cref="OsbuildLog.Render"/>).</summary>
    internal Func<JsonObject?, string> RenderLog { get; init; } = OsbuildLog.Render;

    /// <summary>Splits the RPMs by pipeline role (a seam for tests; <see cref="OsbuildPackages.Split"/>).</summary>
    internal Func<JsonObject, PipelineNames, (IReadOnlyList<RpmComponent> Buildroot, IReadOnlyList<RpmComponent> Image)> SplitPackages { get; init; } =
        OsbuildPackages.Split;

    /// <summary>The clock of target retries' backoff (a seam for tests).</summary>
    internal TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where os-release is looked for (a seam for tests).</summary>
    internal IReadOnlyList<string> OsReleasePaths { get; init; } = HostOs.DefaultPaths;

    /// <inheritdoc />
    public async Task<ImageBuildOutcome> BuildAsync(ImageBuildRequest request, IImageBuildReporter reporter, CancellationToken cancellationToken)
    {
        var image = Describe(request);

        // Checkpoint 1: the catalogue. The compose was accepted, so the type is one the service knows; a worker whose
        // catalogue (built-in or the site's file) lacks it is misconfigured (17), like composer's InvalidConfig.
        var entry = catalogue.Find(request.Distribution, request.ImageType);
        if (entry is null)
        {
            var reason = $"image type {request.ImageType} on {request.Distribution} is not in this worker's image-type catalogue ({CatalogueName})";
            Log.NoCatalogueEntry(logger, image, reason);
            return ImageBuildOutcome.Failed(new JobError(JobErrorCodes.InvalidConfig, reason));
        }

        BuildWorkDirectory work;
        try
        {
            work = BuildWorkDirectory.Create(settings.WorkDirectory, request.ComposeId, request.ImageIndex, logger);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = $"cannot make a work directory under {settings.WorkDirectory}: {e.Message}";
            Log.BuildCannotRun(logger, image, reason);
            return ImageBuildOutcome.Failed(new JobError(JobErrorCodes.InvalidConfig, reason));
        }

        using (work)
        {
            Log.BuildStarted(logger, image, request.ImageType, request.Distribution, entry.Export, work.Path);
            return await BuildInAsync(new Build(request, entry, work, image, HostOsName), reporter, cancellationToken).ConfigureAwait(false);
        }
    }

    private string CatalogueName => settings.CatalogueFile ?? "the built-in catalogue";

    private string HostOsName => _hostOs ??= HostOs.Detect(OsReleasePaths);

    private static string Describe(ImageBuildRequest request) =>
        $"compose {request.ComposeId:D} image {request.ImageIndex} ({request.Distribution} {request.Arch} {request.ImageType})";

    /// <summary>osbuild's version, asked once per worker (it does not change under a running service).</summary>
    private async Task<string> OsbuildVersionAsync(CancellationToken cancellationToken) =>
        _osbuildVersion ??= await osbuild.VersionAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>What one build carries from step to step.</summary>
    private sealed record Build(ImageBuildRequest Request, ImageTypeInfo Entry, BuildWorkDirectory Work, string Image, string HostOs);
}
