using System.Text.Json.Nodes;

namespace KojiComposer.Builder.Targets.Gcp;

/// <summary>
/// The Cloud Storage and Compute Engine calls of the GCP target (cloud-targets.md §5), so that tests can stand in at
/// this seam. The real one is <see cref="GcpCalls"/> (Google.Cloud.Storage.V1 and the Compute REST API v1 with
/// Google.Apis.Auth's credential). Every call fails with <see cref="GcpApiException"/> (the cloud's reason, never a
/// credential) or <see cref="OperationCanceledException"/>.
/// </summary>
internal interface IGcpCalls : IDisposable
{
    /// <summary>The project of the credentials (a service account key's <c>project_id</c>), or null.</summary>
    string? CredentialProject { get; }

    /// <summary>Uploads the file <paramref name="path"/> as <c>gs://bucket/objectName</c> (resumable upload) with
    /// custom <paramref name="metadata"/>; <paramref name="progress"/> gets the bytes sent so far.</summary>
    Task UploadObjectAsync(string bucket, string objectName, string path, IReadOnlyDictionary<string, string> metadata,
        IProgress<long> progress, CancellationToken cancellationToken);

    /// <summary>Deletes the object; false when there was none.</summary>
    Task<bool> DeleteObjectAsync(string bucket, string objectName, CancellationToken cancellationToken);

    /// <summary><c>GET projects/{project}/global/images/{name}</c>; null when there is no such image.</summary>
    Task<GcpImage?> GetImageAsync(string project, string name, CancellationToken cancellationToken);

    /// <summary><c>POST projects/{project}/global/images</c> with the image resource <paramref name="image"/>.</summary>
    Task<GcpOperation> InsertImageAsync(string project, JsonObject image, CancellationToken cancellationToken);

    /// <summary><c>DELETE projects/{project}/global/images/{name}</c>.</summary>
    Task<GcpOperation> DeleteImageAsync(string project, string name, CancellationToken cancellationToken);

    /// <summary><c>GET projects/{project}/global/operations/{name}</c>.</summary>
    Task<GcpOperation> GetOperationAsync(string project, string name, CancellationToken cancellationToken);

    /// <summary><c>GET projects/{project}/global/images/{name}/getIamPolicy</c>: the policy resource.</summary>
    Task<JsonObject> GetImageIamPolicyAsync(string project, string name, CancellationToken cancellationToken);

    /// <summary><c>POST projects/{project}/global/images/{name}/setIamPolicy</c> with <c>{"policy": …}</c>.</summary>
    Task<JsonObject> SetImageIamPolicyAsync(string project, string name, JsonObject policy, CancellationToken cancellationToken);
}

/// <summary>A Compute Engine image as far as the target cares: its status (<c>PENDING</c>, <c>READY</c>,
/// <c>FAILED</c>, <c>DELETING</c>) and labels.</summary>
internal sealed record GcpImage(string Name, string Status, IReadOnlyDictionary<string, string> Labels);

/// <summary>A Compute Engine operation: its name, whether it is <c>DONE</c>, and its error (the messages of
/// <c>error.errors[]</c>) when it failed.</summary>
internal sealed record GcpOperation(string Name, bool Done, string? Error);

/// <summary>A Cloud Storage or Compute Engine call failed: HTTP status (null when no answer came), the cloud's
/// reason, and whether trying again may help (HTTP 429, 5xx, connection failures, timeouts).</summary>
internal sealed class GcpApiException(int? statusCode, string reason, bool isTransient, Exception? inner = null)
    : Exception(reason, inner)
{
    public int? StatusCode { get; } = statusCode;

    public bool IsTransient { get; } = isTransient;
}
