using System.Text.Json.Nodes;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Store.Relational;

/// <summary>Lease and bookkeeping columns every step has (init and finalize on the compose row, one set per image).</summary>
internal sealed class StepLease
{
    /// <summary>The owner that holds (or last held) the lease.</summary>
    public string? Worker { get; set; }

    /// <summary>When the current lease runs out; null when the step is not running.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }

    public int Attempts { get; set; }

    public int LostWorkers { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>The Hangfire job last enqueued for the step.</summary>
    public string? JobId { get; set; }

    public DateTimeOffset? EnqueuedAt { get; set; }

    /// <summary>Forgets every run (a new generation).</summary>
    public void Reset()
    {
        Worker = null;
        LeaseUntil = null;
        Attempts = 0;
        LostWorkers = 0;
        StartedAt = null;
        FinishedAt = null;
        JobId = null;
        EnqueuedAt = null;
    }
}

/// <summary>One image row, loaded for reading or for an update under the compose's lock.</summary>
internal sealed class ImageRow
{
    public required int Index { get; init; }

    public required string Arch { get; init; }

    public required string ImageType { get; init; }

    public required JsonObject ImageRequest { get; init; }

    public ImageState State { get; set; }

    public ImageProgress? Progress { get; set; }

    public JobError? Error { get; set; }

    public IReadOnlyList<UploadResult> Uploads { get; set; } = [];

    public string? Manifest { get; set; }

    public string? Result { get; set; }

    /// <summary>The fan-in marker: this image's end was counted down in the current generation.</summary>
    public bool Counted { get; set; }

    public StepLease Lease { get; } = new();

    /// <summary>Set by every change, so that only changed image rows are written back.</summary>
    public bool Dirty { get; set; }

    public ComposeImage ToModel() => new()
    {
        Index = Index,
        Arch = Arch,
        ImageType = ImageType,
        ImageRequest = ImageRequest,
        State = State,
        Progress = Progress,
        Error = Error,
        Uploads = Uploads,
        Manifest = Manifest,
        Result = Result,
        Worker = Lease.Worker,
        Attempts = Lease.Attempts,
        LostWorkers = Lease.LostWorkers,
        StartedAt = Lease.StartedAt,
        FinishedAt = Lease.FinishedAt,
    };
}

/// <summary>A compose row with its images: the unit every write operation loads, changes and saves in one
/// transaction while it holds the compose's lock.</summary>
internal sealed class ComposeRow
{
    public required Guid Id { get; init; }

    public required string Name { get; init; }

    public required string Version { get; init; }

    /// <summary>Changes only when a reservation was made under another release (<see cref="Reservation.Release"/>).</summary>
    public required string Release { get; set; }

    public bool ReleaseGenerated { get; init; }

    public required string Distribution { get; init; }

    public long? KojiTaskId { get; init; }

    public string? KojiServer { get; init; }

    public JsonObject? Customizations { get; init; }

    public JsonObject? Request { get; init; }

    public long Seed { get; init; }

    public string? SubmittedBy { get; init; }

    public ComposeState State { get; set; }

    public bool CancelRequested { get; set; }

    public int Generation { get; set; }

    /// <summary>The fan-in countdown: images of this generation not yet counted.</summary>
    public int Remaining { get; set; }

    public bool FinalizeClaimed { get; set; }

    /// <summary>Bumped by every save; a save that finds another version fails (a guard behind the row lock).</summary>
    public long RowVersion { get; set; }

    public StepState InitState { get; set; }

    public JobError? InitError { get; set; }

    public Reservation? Reservation { get; set; }

    public StepLease Init { get; } = new();

    public StepState FinalizeState { get; set; }

    public JobError? FinalizeError { get; set; }

    public string? FinalizeResult { get; set; }

    public StepLease Finalize { get; } = new();

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public List<ImageRow> Images { get; } = [];

    public string NvrLower => $"{Name}-{Version}-{Release}".ToLowerInvariant();

    public Compose ToModel() => new()
    {
        Id = Id,
        Name = Name,
        Version = Version,
        Release = Release,
        ReleaseGenerated = ReleaseGenerated,
        Distribution = Distribution,
        KojiTaskId = KojiTaskId,
        KojiServer = KojiServer,
        Customizations = Customizations,
        Request = Request,
        Seed = Seed,
        SubmittedBy = SubmittedBy,
        State = State,
        InitState = InitState,
        InitError = InitError,
        Reservation = Reservation,
        FinalizeState = FinalizeState,
        FinalizeError = FinalizeError,
        FinalizeResult = FinalizeResult,
        CancelRequested = CancelRequested,
        Generation = Generation,
        Images = Images.ConvertAll(i => i.ToModel()),
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
        FinishedAt = FinishedAt,
    };
}
