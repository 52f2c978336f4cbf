using System.Text.Json.Nodes;
using KojiComposer.Config;
using KojiComposer.Contracts.Targets;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Targets.Aws;

/// <summary>The <c>aws</c> target (cloud-targets.md). Placeholder: not implemented yet.</summary>
public sealed class AwsEc2Target(TargetsOptions options, ILogger<AwsEc2Target> logger) : IUploadTarget
{
    /// <inheritdoc />
    public string Type => UploadTargetTypes.Aws;

    /// <inheritdoc />
    public IReadOnlyList<string> CheckConfiguration() => [];

    /// <inheritdoc />
    public Task<JsonObject> UploadAsync(TargetUpload upload, CancellationToken cancellationToken)
    {
        _ = options;
        _ = logger;
        throw TargetFailedException.Config("the aws target is not implemented yet");
    }
}
