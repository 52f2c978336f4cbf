using System.Text.Json.Nodes;

namespace KojiComposer.Contracts.Images;

/// <summary>
/// Everything a worker needs to build one image of a compose. The scheduler makes it from the stored compose; the
/// builder must not need anything else from the scheduler.
/// </summary>
public sealed record ImageBuildRequest
{
    /// <summary>The compose this image belongs to.</summary>
    public required Guid ComposeId { get; init; }

    /// <summary>Position of the image in the compose's image list (0-based, request order).</summary>
    public required int ImageIndex { get; init; }

    /// <summary>Koji build name, version and release, e.g. <c>Fedora-Cloud</c>, <c>42</c>, <c>1</c>.</summary>
    public required string Name { get; init; }

    /// <inheritdoc cref="Name"/>
    public required string Version { get; init; }

    /// <inheritdoc cref="Name"/>
    public required string Release { get; init; }

    /// <summary>Distribution, e.g. <c>fedora-42</c> or <c>rhel-9.6</c>.</summary>
    public required string Distribution { get; init; }

    /// <summary>Architecture, e.g. <c>x86_64</c>.</summary>
    public required string Arch { get; init; }

    /// <summary>Image type in composer's naming, e.g. <c>guest-image</c>.</summary>
    public required string ImageType { get; init; }

    /// <summary>The Koji task the compose serves, or null for composes submitted through the API only.</summary>
    public long? KojiTaskId { get; init; }

    /// <summary>The reserved Koji build id, or null when the compose makes no Koji build.</summary>
    public long? KojiBuildId { get; init; }

    /// <summary>The Koji hub the image is uploaded to (its XML-RPC URL), or null when the compose makes no Koji
    /// build. A worker configured for another hub fails the image with InvalidTargetConfig (2).</summary>
    public string? KojiServer { get; init; }

    /// <summary>The compose's upload directory (<see cref="KojiUploadDirectory.For"/>), or null without a Koji
    /// build.</summary>
    public string? KojiUploadDirectory { get; init; }

    /// <summary>The image request in composer's shape (<c>architecture</c>, <c>image_type</c>,
    /// <c>repositories</c>, <c>ostree</c>, <c>upload_options</c>, ...), composer-api.md §3.</summary>
    public required JsonObject ImageRequest { get; init; }

    /// <summary>The compose's <c>customizations</c> object, or null.</summary>
    public JsonObject? Customizations { get; init; }

    /// <summary>Manifest seed shared by every image of the compose.</summary>
    public required long Seed { get; init; }

    /// <summary>How many times this image was handed to a worker before (0 on the first run); a worker that died
    /// counts.</summary>
    public int PreviousAttempts { get; init; }
}
