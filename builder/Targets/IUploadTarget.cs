using System.Text.Json.Nodes;

namespace KojiComposer.Builder.Targets;

/// <summary>
/// One cloud upload target (cloud-targets.md), a closed set with one class per target type: AWS EC2
/// (<see cref="Aws.AwsEc2Target"/>), AWS S3 and generic S3 (<see cref="Aws.AwsS3Target"/>), Azure
/// (<see cref="Azure.AzureImageTarget"/>), GCP (<see cref="Gcp.GcpImageTarget"/>), container registry
/// (<see cref="Container.ContainerTarget"/>) and OCI (<see cref="Oci.OciObjectStorageTarget"/>). The build step runs
/// the image's target after its Koji upload; <see cref="UploadTargetSet"/> picks it.
/// </summary>
public interface IUploadTarget
{
    /// <summary>The target type (<c>upload_status.type</c>), e.g. <c>aws</c>.</summary>
    string Type { get; }

    /// <summary>Problems with this target's configuration that would fail every upload, found without calling the
    /// cloud (credential files, required keys, executables); empty when it can be used. Run at start-up.</summary>
    IReadOnlyList<string> CheckConfiguration();

    /// <summary>Uploads the artifact of <paramref name="upload"/> and returns the target's result options
    /// (cloud-targets.md §1.1, e.g. <c>{"ami", "region"}</c>); they never hold credentials or presigned secrets
    /// other than a URL the result is meant to carry.</summary>
    /// <exception cref="TargetFailedException">The upload failed (code 2, 3, 4, 11 or 12 with the cloud's reason);
    /// <see cref="TargetFailedException.IsTransient"/> when trying again may succeed.</exception>
    /// <exception cref="OperationCanceledException">The compose was canceled or the worker stops; what was
    /// created so far is removed where the cloud allows it.</exception>
    Task<JsonObject> UploadAsync(TargetUpload upload, CancellationToken cancellationToken);

    /// <summary>Removes what earlier tries of <paramref name="upload"/> kept for a retry that will not come: the
    /// compose was canceled while the build step waited to try again (cloud-targets.md §1: we delete what we can on
    /// cancel). Harmless when nothing is left; never throws; bounded by its own timeout (the compose's token is
    /// already canceled).</summary>
    Task AbandonAsync(TargetUpload upload) => Task.CompletedTask;
}
