using System.Text.Json.Nodes;
using KojiComposer.Contracts.Targets;

namespace KojiComposer.Builder.Targets.Oci;

/// <summary>
/// The <c>oci.objectstorage</c> target (image type <c>oci</c>, cloud-targets.md §7). KojiComposer does not upload to
/// Oracle Cloud: there is no official OCI SDK on our package mirror and no local server to test against. An
/// <c>oci</c> image with upload options fails with InvalidTargetConfig (2) saying so; without upload options it is
/// built and imported to Koji like any other image.
/// </summary>
public sealed class OciObjectStorageTarget : IUploadTarget
{
    /// <summary>What every upload says.</summary>
    public const string Unsupported =
        "uploads to OCI object storage (oci.objectstorage) are not supported by KojiComposer; build the oci image without upload_options and take it from Koji";

    /// <inheritdoc />
    public string Type => UploadTargetTypes.OciObjectStorage;

    /// <inheritdoc />
    public IReadOnlyList<string> CheckConfiguration() => [];

    /// <inheritdoc />
    public Task<JsonObject> UploadAsync(TargetUpload upload, CancellationToken cancellationToken) =>
        throw TargetFailedException.Config(Unsupported);
}
