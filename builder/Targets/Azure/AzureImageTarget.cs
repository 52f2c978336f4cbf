using System.Text.Json.Nodes;
using KojiComposer.Config;
using KojiComposer.Contracts.Targets;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Targets.Azure;

/// <summary>The <c>azure</c> target (cloud-targets.md). Placeholder: not implemented yet.</summary>
public sealed class AzureImageTarget(TargetsOptions options, ILogger<AzureImageTarget> logger) : IUploadTarget
{
    /// <inheritdoc />
    public string Type => UploadTargetTypes.Azure;

    /// <inheritdoc />
    public IReadOnlyList<string> CheckConfiguration() => [];

    /// <inheritdoc />
    public Task<JsonObject> UploadAsync(TargetUpload upload, CancellationToken cancellationToken)
    {
        _ = options;
        _ = logger;
        throw TargetFailedException.Config("the azure target is not implemented yet");
    }
}
