using System.Text.Json.Nodes;
using KojiComposer.Config;
using KojiComposer.Contracts.Targets;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Targets.Gcp;

/// <summary>The <c>gcp</c> target (cloud-targets.md). Placeholder: not implemented yet.</summary>
public sealed class GcpImageTarget(TargetsOptions options, ILogger<GcpImageTarget> logger) : IUploadTarget
{
    /// <inheritdoc />
    public string Type => UploadTargetTypes.Gcp;

    /// <inheritdoc />
    public IReadOnlyList<string> CheckConfiguration() => [];

    /// <inheritdoc />
    public Task<JsonObject> UploadAsync(TargetUpload upload, CancellationToken cancellationToken)
    {
        _ = options;
        _ = logger;
        throw TargetFailedException.Config("the gcp target is not implemented yet");
    }
}
