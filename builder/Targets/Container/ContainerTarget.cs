using System.Security.Cryptography;
using System.Text.Json.Nodes;
using KojiComposer.Config;
using KojiComposer.Contracts.Images;
using KojiComposer.Contracts.Targets;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Targets.Container;

/// <summary>
/// The <c>container</c> target (cloud-targets.md §6; image types edge-container, iot-container,
/// iot-bootable-container): pushes the OCI archive artifact with <c>skopeo copy oci-archive:… docker://…</c>, then
/// asks the registry for the manifest it now serves under the tag and checks that its sha256 is the digest skopeo
/// pushed. Result <c>{"url": "&lt;registry&gt;/&lt;name&gt;:&lt;tag&gt;", "digest": "sha256:…"}</c>.
/// </summary>
/// <remarks>A retried upload pushes to the same tag (the tag comes from the upload's generated name) and the
/// registry already has the blobs, so trying again never leaves a second visible result.</remarks>
public sealed partial class ContainerTarget : IUploadTarget
{
    private readonly ContainerTargetOptions _options;
    private readonly ILogger<ContainerTarget> _logger;
    private readonly ISkopeo _skopeo;

    /// <summary>The target with the real skopeo of <c>[builder.targets.container] skopeo</c>.</summary>
    public ContainerTarget(TargetsOptions options, ILogger<ContainerTarget> logger)
        : this(options, logger, new SkopeoProcess(options?.Container.Skopeo ?? "skopeo", logger))
    {
    }

    /// <summary>The target with <paramref name="skopeo"/> (tests).</summary>
    internal ContainerTarget(TargetsOptions options, ILogger<ContainerTarget> logger, ISkopeo skopeo)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Container;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _skopeo = skopeo ?? throw new ArgumentNullException(nameof(skopeo));
    }

    /// <inheritdoc />
    public string Type => UploadTargetTypes.Container;

    /// <inheritdoc />
    public async Task<JsonObject> UploadAsync(TargetUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var reference = ContainerReference.For(upload, _options);
        upload.Progress.Report(new ImageProgress(0, 2, $"container: pushing to {reference}"));
        Log.ContainerPushing(_logger, upload.Image, upload.ExportFilename, reference.ToString());

        // One private directory per try for skopeo's temporary files (it unpacks the archive there), the digest
        // file and the credentials file; removed whatever happens, also after skopeo was killed.
        Directory.CreateDirectory(upload.WorkDirectory);
        var scratch = Path.Combine(upload.WorkDirectory, $"container-{Guid.NewGuid():N}");
        Directory.CreateDirectory(scratch, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            var run = new Run(this, upload, reference, scratch);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.Timeout);
            try
            {
                var pushed = await run.PushAsync(timeout.Token).ConfigureAwait(false);
                upload.Progress.Report(new ImageProgress(1, 2, $"container: checking {reference}"));
                var served = await run.ServedDigestAsync(timeout.Token).ConfigureAwait(false);
                if (!string.Equals(pushed, served, StringComparison.Ordinal))
                {
                    throw TargetFailedException.Upload(
                        $"the registry serves {reference} with manifest {served}, not the pushed {pushed} (was the tag pushed again meanwhile?)");
                }

                upload.Progress.Report(new ImageProgress(2, 2, $"container: pushed {reference}"));
                Log.ContainerPushed(_logger, upload.Image, reference.ToString(), pushed);
                return new JsonObject { ["url"] = reference.ToString(), ["digest"] = pushed };
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
            {
                throw TargetFailedException.Upload(
                    $"pushing {reference} did not finish within {_options.Timeout.TotalSeconds:0} s ([builder.targets.container] timeout_seconds); skopeo was killed",
                    isTransient: true);
            }
        }
        finally
        {
            RemoveScratch(scratch);
        }
    }

    private void RemoveScratch(string scratch)
    {
        try
        {
            // The credentials first, on their own: if the rest cannot go, at least they do.
            File.Delete(Path.Combine(scratch, AuthFileName));
            Directory.Delete(scratch, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.ContainerCleanupFailed(_logger, scratch, e.Message);
        }
    }

    /// <summary>sha256 of <paramref name="manifest"/> as a digest.</summary>
    internal static string DigestOf(byte[] manifest) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(manifest));
}
