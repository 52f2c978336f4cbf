using System.Text.Json.Nodes;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;

namespace KojiComposer.Scheduler.Model;

/// <summary>A compose as stored: what was asked (<see cref="NewCompose"/>'s fields) and where it is now.</summary>
public sealed record Compose
{
    /// <summary>The compose id (a UUID, composer's compose id).</summary>
    public required Guid Id { get; init; }

    /// <summary>Koji build name.</summary>
    public required string Name { get; init; }

    /// <summary>Koji build version.</summary>
    public required string Version { get; init; }

    /// <summary>Koji build release.</summary>
    public required string Release { get; init; }

    /// <summary>True when the release came from <c>getNextRelease</c> (<see cref="NewCompose.ReleaseGenerated"/>).</summary>
    public bool ReleaseGenerated { get; init; }

    /// <summary>Distribution.</summary>
    public required string Distribution { get; init; }

    /// <summary>The Koji task it serves, or null.</summary>
    public long? KojiTaskId { get; init; }

    /// <summary>The Koji hub of its build, or null.</summary>
    public string? KojiServer { get; init; }

    /// <summary>Customizations, or null.</summary>
    public JsonObject? Customizations { get; init; }

    /// <summary>The request as submitted, or null.</summary>
    public JsonObject? Request { get; init; }

    /// <summary>Manifest seed.</summary>
    public required long Seed { get; init; }

    /// <summary>Who submitted it, or null.</summary>
    public string? SubmittedBy { get; init; }

    /// <summary>Overall state.</summary>
    public required ComposeState State { get; init; }

    /// <summary>Reservation step state.</summary>
    public required StepState InitState { get; init; }

    /// <summary>Why the reservation failed, or null.</summary>
    public JobError? InitError { get; init; }

    /// <summary>The reserved build, or null before the reservation (or when the compose makes no Koji build).</summary>
    public Reservation? Reservation { get; init; }

    /// <summary>Import/refund step state.</summary>
    public required StepState FinalizeState { get; init; }

    /// <summary>Why the import failed (or was skipped, code 13), or null.</summary>
    public JobError? FinalizeError { get; init; }

    /// <summary>The import's result for <c>/logs</c> (JSON text), or null.</summary>
    public string? FinalizeResult { get; init; }

    /// <summary>True once an operator asked to cancel.</summary>
    public bool CancelRequested { get; init; }

    /// <summary>How many times "retry failed" restarted it (0 for the first run).</summary>
    public int Generation { get; init; }

    /// <summary>Images in request order.</summary>
    public required IReadOnlyList<ComposeImage> Images { get; init; }

    /// <summary>When it was submitted.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When anything about it last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When it reached a final state, or null.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>NVR as Koji writes it.</summary>
    public string Nvr => $"{Name}-{Version}-{Release}";

    /// <summary>A short form of <see cref="Id"/> for people: its last 8 hex digits. Compose ids are UUIDv7, whose
    /// leading digits are a timestamp shared by every compose of the same minute, so the tail is what tells two
    /// composes apart.</summary>
    public string ShortId => Id.ToString("N")[^8..];
}

/// <summary>A Koji build reserved with CGInitBuild. The token is a secret of the import: it is kept in the store
/// and never shown by the API, the pages or the logs.</summary>
/// <param name="BuildId">Koji build id.</param>
/// <param name="Token">CGInitBuild token.</param>
public sealed record Reservation(long BuildId, string Token)
{
    /// <summary>The release the build was reserved with when it differs from the compose's (a generated release
    /// taken meanwhile by another build, so the reservation asked the hub for the next one); storing the
    /// reservation then changes the compose's release. Null: the compose's release.</summary>
    public string? Release { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"build {BuildId}";
}

/// <summary>One image of a stored compose.</summary>
public sealed record ComposeImage
{
    /// <summary>Position in the compose (0-based, request order).</summary>
    public required int Index { get; init; }

    /// <summary>Architecture.</summary>
    public required string Arch { get; init; }

    /// <summary>Image type.</summary>
    public required string ImageType { get; init; }

    /// <summary>The image request in composer's shape.</summary>
    public required JsonObject ImageRequest { get; init; }

    /// <summary>State.</summary>
    public required ImageState State { get; init; }

    /// <summary>Latest progress reported by the worker, or null.</summary>
    public ImageProgress? Progress { get; init; }

    /// <summary>Why it failed or was canceled, or null.</summary>
    public JobError? Error { get; init; }

    /// <summary>Upload results (Koji and cloud targets).</summary>
    public IReadOnlyList<UploadResult> Uploads { get; init; } = [];

    /// <summary>The manifest (JSON text), or null.</summary>
    public string? Manifest { get; init; }

    /// <summary>The build result (JSON text), or null.</summary>
    public string? Result { get; init; }

    /// <summary>The worker that runs (or last ran) it, e.g. <c>builder1:1234:abcd</c>, or null.</summary>
    public string? Worker { get; init; }

    /// <summary>How many times it was handed to a worker.</summary>
    public int Attempts { get; init; }

    /// <summary>How many of those ended because the worker stopped renewing its lease (died).</summary>
    public int LostWorkers { get; init; }

    /// <summary>When its current or last run started, or null.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it reached a final state, or null.</summary>
    public DateTimeOffset? FinishedAt { get; init; }
}
