using System.Text.Json.Nodes;

namespace KojiComposer.Contracts.Images;

/// <summary>
/// Where one artifact of an image went, as compose statuses show it (<c>upload_statuses[]</c>, cloud-targets.md
/// §1.1): the target type (<c>koji</c>, <c>aws</c>, <c>aws.s3</c>, <c>azure</c>, <c>gcp</c>, <c>container</c>,
/// ...), its status and the target's result options. Options never hold credentials.
/// </summary>
/// <param name="Type">Target type, e.g. <c>aws</c>.</param>
/// <param name="Success">True when the upload finished.</param>
/// <param name="Options">The target's result, e.g. <c>{"ami": "ami-0123", "region": "us-east-1"}</c>.</param>
public sealed record UploadResult(string Type, bool Success, JsonObject Options);
