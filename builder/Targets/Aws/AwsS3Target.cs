using System.Text.Json.Nodes;
using KojiComposer.Config;
using KojiComposer.Contracts.Targets;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Targets.Aws;

/// <summary>The <c>aws.s3</c> target (cloud-targets.md). Placeholder: not implemented yet.</summary>
public sealed class AwsS3Target(TargetsOptions options, ILogger<AwsS3Target> logger) : IUploadTarget
{
    /// <inheritdoc />
    public string Type => UploadTargetTypes.AwsS3;

    /// <inheritdoc />
    public IReadOnlyList<string> CheckConfiguration() => [];

    /// <inheritdoc />
    public Task<JsonObject> UploadAsync(TargetUpload upload, CancellationToken cancellationToken)
    {
        _ = options;
        _ = logger;
        throw TargetFailedException.Config("the aws.s3 target is not implemented yet");
    }
}
