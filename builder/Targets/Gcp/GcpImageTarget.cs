using System.Text.Json.Nodes;
using KojiComposer.Config;
using KojiComposer.Contracts.Targets;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Targets.Gcp;

/// <summary>
/// The <c>gcp</c> target (cloud-targets.md §5; image types gcp, gcp-rhui): the exported <c>image.tar.gz</c> goes to
/// <c>gs://&lt;bucket&gt;/&lt;generated name&gt;.tar.gz</c>, <c>images.insert</c> makes an image of it in the
/// configured project (storage location = the task's region, guest OS features by distribution), the staging object
/// is deleted whatever happened, and the image is shared (<c>roles/compute.imageUser</c>) with
/// <c>share_with_accounts</c>. Result <c>{"image_name", "project_id"}</c>. Errors: 2 config, 4 image name or
/// artifact, 11 object upload, 12 import, 3 sharing.
/// </summary>
/// <remarks>
/// The build step may call <see cref="UploadAsync"/> again after a transient failure (<see cref="TargetRetry"/>),
/// with the same <see cref="TargetUpload.GeneratedName"/>. Images this target makes carry the label
/// <see cref="GcpNames.UploadLabel"/> derived from that name, so a later attempt recognises its own image: a READY
/// one is kept (only the sharing is done again, which adds nothing twice), a PENDING one is waited for, a FAILED one
/// is deleted and made again. An image of that name that another upload made fails the import (12), as composer's
/// does. The image of an upload that fails for good or is canceled is deleted; after a transient failure it is kept
/// for the next attempt.
/// </remarks>
public sealed class GcpImageTarget : IUploadTarget
{
    private readonly TargetsOptions _options;
    private readonly ILogger<GcpImageTarget> _logger;
    private readonly Func<GcpTargetOptions, CancellationToken, Task<IGcpCalls>> _connect;

    /// <summary>The target of <c>[builder.targets.gcp]</c>, calling Google's APIs.</summary>
    public GcpImageTarget(TargetsOptions options, ILogger<GcpImageTarget> logger)
        : this(options, logger, async (gcp, ct) => await GcpCalls.ConnectAsync(gcp, ct).ConfigureAwait(false))
    {
    }

    /// <summary>The target with <paramref name="connect"/> making its calls (tests).</summary>
    internal GcpImageTarget(TargetsOptions options, ILogger<GcpImageTarget> logger, Func<GcpTargetOptions, CancellationToken, Task<IGcpCalls>> connect)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _connect = connect;
    }

    /// <inheritdoc />
    public string Type => UploadTargetTypes.Gcp;

    /// <inheritdoc />
    public IReadOnlyList<string> CheckConfiguration() =>
        _options.Gcp is { } gcp ? GcpCredentialCheck.Problems(gcp) : [];

    /// <inheritdoc />
    public async Task<JsonObject> UploadAsync(TargetUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var gcp = _options.Gcp
            ?? throw TargetFailedException.Config("this worker has no [builder.targets.gcp] section: add one (credentials, bucket, project_id) to upload gcp images");
        var options = upload.Options as GcpUploadOptions
            ?? throw TargetFailedException.Config("the upload options are not those of the gcp target");
        var bucket = options.Bucket ?? gcp.Bucket
            ?? throw TargetFailedException.Config("no bucket to stage the image in: the task's upload_options have no \"bucket\" and [builder.targets.gcp] has no bucket");
        var imageName = options.ImageName ?? upload.GeneratedName;
        if (!GcpNames.IsValidImageName(imageName))
        {
            throw new TargetFailedException(TargetFailedException.InvalidTarget,
                $"\"{imageName}\" is not a valid GCP image name: it must be {GcpNames.ImageNameRule}");
        }

        // images.insert takes a gzip'ed tar holding disk.raw: what the gcp image types export, uploaded as it is.
        if (!upload.ExportFilename.EndsWith(".tar.gz", StringComparison.Ordinal))
        {
            throw new TargetFailedException(TargetFailedException.InvalidTarget,
                $"the gcp target imports the image.tar.gz the gcp image types export, not {upload.ExportFilename}");
        }

        if (!File.Exists(upload.ArtifactPath))
        {
            throw TargetFailedException.Upload($"the artifact {upload.ArtifactPath} is missing");
        }

        using var calls = await _connect(gcp, cancellationToken).ConfigureAwait(false);
        var project = gcp.ProjectId ?? calls.CredentialProject
            ?? throw TargetFailedException.Config("no project to make the image in: set project_id in [builder.targets.gcp] (the credentials name none)");
        var run = new GcpUploadRun(calls, gcp, _logger, upload, options, bucket, upload.GeneratedName + ".tar.gz", imageName, project);
        await run.ImportAsync(cancellationToken).ConfigureAwait(false);
        await run.ShareAsync(cancellationToken).ConfigureAwait(false);
        return new JsonObject { ["image_name"] = imageName, ["project_id"] = project };
    }
}
