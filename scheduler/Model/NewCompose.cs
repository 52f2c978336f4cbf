using System.Text.Json.Nodes;

namespace KojiComposer.Scheduler.Model;

/// <summary>
/// A compose to create: the Koji build's name, version and release, the Koji task it serves (when it came from
/// Koji), the distribution, and one <see cref="NewComposeImage"/> per image (architecture x image type) in request
/// order.
/// </summary>
public sealed record NewCompose
{
    /// <summary>Koji build name, e.g. <c>Fedora-Cloud</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Koji build version, e.g. <c>42</c>.</summary>
    public required string Version { get; init; }

    /// <summary>Koji build release, e.g. <c>1</c>.</summary>
    public required string Release { get; init; }

    /// <summary>True when <see cref="Release"/> came from the hub's <c>getNextRelease</c> rather than from the
    /// user: the reservation may then ask the hub again and use the next free release when another build took this
    /// one meanwhile (cg-import.md §2).</summary>
    public bool ReleaseGenerated { get; init; }

    /// <summary>Distribution, e.g. <c>fedora-42</c>.</summary>
    public required string Distribution { get; init; }

    /// <summary>The <c>osbuildImage</c> task this compose serves; null for composes submitted through the API
    /// alone. At most one compose exists per task (creating a second returns the first).</summary>
    public long? KojiTaskId { get; init; }

    /// <summary>The Koji hub the compose's build lives on (composer's <c>koji.server</c>), or null when the compose
    /// makes no Koji build.</summary>
    public string? KojiServer { get; init; }

    /// <summary>The images, in request order; at least one.</summary>
    public required IReadOnlyList<NewComposeImage> Images { get; init; }

    /// <summary>The compose's <c>customizations</c>, or null.</summary>
    public JsonObject? Customizations { get; init; }

    /// <summary>The request as submitted (composer's <c>POST /compose</c> shape), kept for
    /// <c>compose-request.json</c>; never holds credentials.</summary>
    public JsonObject? Request { get; init; }

    /// <summary>Manifest seed shared by every image.</summary>
    public required long Seed { get; init; }

    /// <summary>Who submitted it (Koji task owner or API user), for the pages; null when unknown.</summary>
    public string? SubmittedBy { get; init; }

    /// <summary>NVR as Koji writes it.</summary>
    public string Nvr => $"{Name}-{Version}-{Release}";
}

/// <summary>One image of a <see cref="NewCompose"/>.</summary>
/// <param name="Arch">Architecture, e.g. <c>x86_64</c>.</param>
/// <param name="ImageType">Image type in composer's naming, e.g. <c>guest-image</c>.</param>
/// <param name="ImageRequest">The image request in composer's shape (composer-api.md §3).</param>
public sealed record NewComposeImage(string Arch, string ImageType, JsonObject ImageRequest);
