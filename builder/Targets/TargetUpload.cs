using KojiComposer.Contracts.Images;
using KojiComposer.Contracts.Targets;

namespace KojiComposer.Builder.Targets;

/// <summary>What one target upload needs: the artifact and the facts of its image, the decoded
/// <c>upload_options</c>, names and a place to report progress.</summary>
public sealed record TargetUpload
{
    /// <summary>The compose.</summary>
    public required Guid ComposeId { get; init; }

    /// <summary>For log lines and errors, e.g. <c>compose … image 0 (rhel-9.6 x86_64 aws)</c>.</summary>
    public required string Image { get; init; }

    /// <summary>Distribution, e.g. <c>rhel-9.6</c> (container name default, GCP guest OS features).</summary>
    public required string Distribution { get; init; }

    /// <summary>Koji architecture, e.g. <c>x86_64</c>.</summary>
    public required string Arch { get; init; }

    /// <summary>Image type, e.g. <c>aws</c>.</summary>
    public required string ImageType { get; init; }

    /// <summary>The exported file on the worker's disk (what also went to Koji).</summary>
    public required string ArtifactPath { get; init; }

    /// <summary>The exported file's name, e.g. <c>image.raw.xz</c> or <c>disk.qcow2</c>.</summary>
    public required string ExportFilename { get; init; }

    /// <summary><c>legacy</c>, <c>uefi</c>, <c>hybrid</c>, or null.</summary>
    public string? BootMode { get; init; }

    /// <summary>The task's <c>upload_options</c> decoded as this target's shape.</summary>
    public required UploadOptions Options { get; init; }

    /// <summary>A fresh generated name, <c>&lt;prefix&gt;&lt;uuid v4&gt;</c> (composer's <c>composer-api-…</c>),
    /// the same for every call within one upload.</summary>
    public required string GeneratedName { get; init; }

    /// <summary>Where the target reports what it does (<see cref="ImageProgress.Stage"/>, e.g. <c>aws: importing
    /// snapshot</c>) and how far.</summary>
    public required IProgress<ImageProgress> Progress { get; init; }

    /// <summary>The working directory of this build (for a decompressed copy of the artifact); removed with the build.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>True on the last try the build step makes (<see cref="TargetRetry"/>): a transient failure is then
    /// final, so the target removes what it keeps for a retry (stored multipart parts, the staging object, a running
    /// import) as it does after a fatal failure. False when more tries may follow.</summary>
    public bool IsLastAttempt { get; init; }
}
