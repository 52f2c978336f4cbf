using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Store;

/// <summary>What <see cref="IComposeStore.ClaimAsync"/> found.</summary>
public enum ClaimOutcome
{
    /// <summary>The caller holds the step's lease and should run it.</summary>
    Claimed,

    /// <summary>The caller holds the lease, but the compose is being canceled: end the step as canceled.</summary>
    ClaimedCancelRequested,

    /// <summary>The caller holds the lease, but the step's workers died more often than allowed: end the step as
    /// failed with <c>JobMissingHeartbeat</c> (27).</summary>
    ClaimedLostWorkerLimit,

    /// <summary>The step already reached a final state: nothing to do (a repeated delivery).</summary>
    AlreadyFinished,

    /// <summary>Another worker holds a live lease on it: nothing to do now (a duplicate delivery while it runs).</summary>
    HeldByOther,

    /// <summary>Its prerequisites have not finished (image before a successful init, finalize before the last
    /// image), or the compose does not exist: nothing to do.</summary>
    NotReady,
}

/// <summary>Result of <see cref="IComposeStore.ClaimAsync"/>.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Attempt">For a claim, the run number of this step (1 on the first run).</param>
public sealed record StepClaim(ClaimOutcome Outcome, int Attempt = 0)
{
    /// <summary>True when the caller now holds the lease (any of the three Claimed outcomes).</summary>
    public bool HoldsLease => Outcome is ClaimOutcome.Claimed or ClaimOutcome.ClaimedCancelRequested or ClaimOutcome.ClaimedLostWorkerLimit;
}

/// <summary>Result of <see cref="IComposeStore.RenewAsync"/>.</summary>
/// <param name="Held">False when the caller's lease was lost (it expired and another worker claimed the step, or
/// the step is final): the caller must stop and write nothing more.</param>
/// <param name="CancelRequested">True when an operator asked to cancel the compose: stop the step and end it as
/// canceled.</param>
public sealed record LeaseRenewal(bool Held, bool CancelRequested);

/// <summary>Result of <see cref="IComposeStore.CompleteInitAsync"/>.</summary>
/// <param name="Accepted">False when the caller no longer held the lease; nothing was written.</param>
/// <param name="ImagesToStart">Indexes of the images now ready to be enqueued (after a successful reservation).</param>
/// <param name="FinalizeClaimed">True when this completion ended the last image (reservation failed or compose
/// canceled) and claimed the finalize step: the caller must enqueue it.</param>
public sealed record InitCompletion(bool Accepted, IReadOnlyList<int> ImagesToStart, bool FinalizeClaimed);

/// <summary>Result of <see cref="IComposeStore.CompleteImageAsync"/>.</summary>
/// <param name="Accepted">False when nothing was written (lease lost, or nothing to change).</param>
/// <param name="FinalizeClaimed">True when this call ended the compose's last image and claimed the finalize
/// step: the caller must enqueue it. Exactly one call per compose generation ever returns true.</param>
public sealed record FanInResult(bool Accepted, bool FinalizeClaimed);

/// <summary>Result of <see cref="IComposeStore.RequestCancelAsync"/>.</summary>
public enum CancelOutcome
{
    /// <summary>Cancel recorded (or already requested); steps not yet started were canceled at once.</summary>
    Requested,

    /// <summary>The compose had already reached a final state.</summary>
    AlreadyFinal,

    /// <summary>No such compose.</summary>
    NotFound,
}

/// <summary>Result of <see cref="IComposeStore.RequestCancelAsync"/>.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="FinalizeClaimed">True when canceling ended the last image: the caller must enqueue finalize.</param>
public sealed record CancelResult(CancelOutcome Outcome, bool FinalizeClaimed);

/// <summary>Result of <see cref="IComposeStore.RetryFailedAsync"/>.</summary>
public enum RetryOutcome
{
    /// <summary>A new generation started: the caller must enqueue the init step.</summary>
    Restarted,

    /// <summary>The compose is still running or succeeded: nothing to retry.</summary>
    NotRetryable,

    /// <summary>No such compose.</summary>
    NotFound,

    /// <summary>The compose was made by our task intake for a Koji task, which ended with it: the task is retried in
    /// Koji (resubmitted), not the compose, or a build would be imported that no task closes or tags.</summary>
    KojiTask,
}

/// <summary>Result of <see cref="IComposeStore.RetryFailedAsync"/>.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="ImagesReset">How many failed or canceled images will be built again.</param>
public sealed record RetryResult(RetryOutcome Outcome, int ImagesReset);

/// <summary>Why the reconciler is shown a step (<see cref="IComposeStore.FindOrphanCandidatesAsync"/>).</summary>
public enum OrphanReason
{
    /// <summary>The step is ready and not running; its Hangfire job (<see cref="OrphanCandidate.JobId"/>) may be
    /// queued still, or gone (never enqueued, lost with an in-memory queue, deleted): check before enqueueing.</summary>
    ReadyNotRunning,

    /// <summary>The step's worker stopped renewing its lease and no job was enqueued since: enqueue one.</summary>
    LeaseExpired,
}

/// <summary>A step the reconciler must look at.</summary>
/// <param name="Step">The step.</param>
/// <param name="Reason">Why.</param>
/// <param name="JobId">The Hangfire job last enqueued for it, or null.</param>
/// <param name="Queue">The queue its job belongs on.</param>
public sealed record OrphanCandidate(StepRef Step, OrphanReason Reason, string? JobId, string Queue);

/// <summary>A filter for <see cref="IComposeStore.ListAsync"/>; null members do not filter.</summary>
public sealed record ComposeQuery
{
    /// <summary>Only composes in this state.</summary>
    public ComposeState? State { get; init; }

    /// <summary>Only composes whose NVR contains this text (case-insensitive).</summary>
    public string? Nvr { get; init; }

    /// <summary>Only the compose of this Koji task.</summary>
    public long? KojiTaskId { get; init; }

    /// <summary>Only composes created at or after this time.</summary>
    public DateTimeOffset? CreatedAfter { get; init; }

    /// <summary>At most this many, newest first (1 to 1000).</summary>
    public int Limit { get; init; } = 50;

    /// <summary>Skip this many of the matches first.</summary>
    public int Offset { get; init; }
}

/// <summary>One page of <see cref="IComposeStore.ListAsync"/>.</summary>
/// <param name="Items">The composes, newest first.</param>
/// <param name="Total">How many match the filter in all.</param>
public sealed record ComposePage(IReadOnlyList<Compose> Items, int Total);

/// <summary>Counts for metrics and health, read in one go.</summary>
/// <param name="Composes">Number of composes per state.</param>
/// <param name="Images">Number of images per (state, arch).</param>
public sealed record StoreCounts(
    IReadOnlyDictionary<ComposeState, int> Composes,
    IReadOnlyDictionary<(ImageState State, string Arch), int> Images);
