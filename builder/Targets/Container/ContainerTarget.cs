using System.Text.Json.Nodes;
using KojiComposer.Config;
using KojiComposer.Contracts.Targets;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Targets.Container;

/// <summary>The <c>container</c> target (cloud-targets.md). Placeholder: not implemented yet.</summary>
public sealed class ContainerTarget(TargetsOptions options, ILogger<ContainerTarget> logger) : IUploadTarget
{
    /// <inheritdoc />
    public string Type => UploadTargetTypes.Container;

    /// <inheritdoc />
    public IReadOnlyList<string> CheckConfiguration() => [];

    /// <inheritdoc />
    public Task<JsonObject> UploadAsync(TargetUpload upload, CancellationToken cancellationToken)
    {
        _ = options;
        _ = logger;
        throw TargetFailedException.Config("the container target is not implemented yet");
    }
}
