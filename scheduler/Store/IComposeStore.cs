using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Store;

/// <summary>
/// The scheduler's durable record of composes: the single source of truth for what each compose, step and image
/// is doing. Hangfire only carries "run this step now" messages, which it may deliver more than once or (with an
/// in-memory queue after a restart) not at all; every rule that makes a compose end exactly once lives here, in
/// atomic store operations, and <c>ComposeStoreConformanceTests</c> holds every implementation to them.
/// </summary>
/// <remarks>
/// <para><b>Leases.</b> A step runs only while its runner holds the step's lease: <see cref="ClaimAsync"/> takes it
/// (from a pending step, or from a running one whose lease expired: its worker died), <see cref="RenewAsync"/>
/// extends it, and every write a runner makes names its <c>owner</c> and is refused once the lease was lost. So a
/// step never runs twice at the same time, whatever Hangfire delivers.</para>
/// <para><b>Fan-in.</b> A compose generation has a countdown of images not yet final. The call that makes an image
/// final (<see cref="CompleteImageAsync"/>, <see cref="CompleteInitAsync"/> on failure or cancel,
/// <see cref="RequestCancelAsync"/>) marks it counted and decrements in one transaction, only if it was not counted
/// before; the call that brings the countdown to zero also claims the finalize step (compose state
/// <see cref="ComposeState.Finalizing"/>) and returns <c>FinalizeClaimed = true</c> — exactly once per generation.
/// A crash between that commit and the enqueue is repaired by the reconciler
/// (<see cref="FindOrphanCandidatesAsync"/>).</para>
/// <para>Times are passed in (<c>now</c>) so that tests control the clock.</para>
/// </remarks>
public interface IComposeStore
{
    /// <summary>Creates or upgrades the store's schema; safe to run concurrently from several processes.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Creates a compose: state <see cref="ComposeState.Pending"/>, init pending, every image pending,
    /// countdown = number of images. When <see cref="NewCompose.KojiTaskId"/> already has a compose, returns that
    /// one instead (<c>Created = false</c>) and changes nothing.</summary>
    /// <exception cref="ArgumentException">No images, or a field is empty.</exception>
    Task<(Compose Compose, bool Created)> CreateAsync(NewCompose compose, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the lock <paramref name="name"/> that at most one process sharing this store can hold at a time (the
    /// hub bridge's "only instance of this builder host" lock), held until the returned handle is disposed or the
    /// process dies (PostgreSQL: a session advisory lock on a connection of its own; embedded: an exclusive lock on a
    /// file next to the database). Null when another process holds it.
    /// </summary>
    Task<IAsyncDisposable?> TryLockInstanceAsync(string name, CancellationToken cancellationToken);

    /// <summary>The compose with this id, or null.</summary>
    Task<Compose?> GetAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The compose of this Koji task, or null.</summary>
    Task<Compose?> FindByKojiTaskAsync(long kojiTaskId, CancellationToken cancellationToken);

    /// <summary>Every compose (any state, any generation) of this Koji build name, version and release, oldest
    /// first: the content-generator steps use it to tell a reservation of our own that a crash lost from another
    /// compose's.</summary>
    Task<IReadOnlyList<Compose>> FindByNvrAsync(string name, string version, string release, CancellationToken cancellationToken);

    /// <summary>Composes matching <paramref name="query"/>, newest first.</summary>
    Task<ComposePage> ListAsync(ComposeQuery query, CancellationToken cancellationToken);

    /// <summary>Compose and image counts by state (images also by arch).</summary>
    Task<StoreCounts> CountAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Tries to take <paramref name="step"/>'s lease for <paramref name="owner"/> until <c>now + lease</c>.
    /// <list type="bullet">
    /// <item>Final step → <see cref="ClaimOutcome.AlreadyFinished"/>.</item>
    /// <item>Prerequisite not met (image: init not <see cref="StepState.Success"/>; finalize: not claimed by the
    /// fan-in) or no such compose/image → <see cref="ClaimOutcome.NotReady"/>.</item>
    /// <item>Running with a live lease of another owner → <see cref="ClaimOutcome.HeldByOther"/>. (The same owner
    /// re-claiming gets its lease back.)</item>
    /// <item>Pending → claimed: state running (image: <see cref="ImageState.Building"/>), attempts + 1, worker =
    /// owner, started now.</item>
    /// <item>Running with an expired lease → claimed as above and lost-worker count + 1; when that count now exceeds
    /// <paramref name="maxLostWorkers"/> the outcome is <see cref="ClaimOutcome.ClaimedLostWorkerLimit"/>.</item>
    /// <item>Claimed while the compose has a cancel request → <see cref="ClaimOutcome.ClaimedCancelRequested"/>.</item>
    /// </list>
    /// </summary>
    Task<StepClaim> ClaimAsync(StepRef step, string owner, DateTimeOffset now, TimeSpan lease, int maxLostWorkers, CancellationToken cancellationToken);

    /// <summary>Extends the caller's lease to <c>now + lease</c> and, for images, records the phase
    /// (<see cref="ImageState.Building"/> or <see cref="ImageState.Uploading"/>) and the latest progress when given.
    /// Returns <c>Held = false</c>, writing nothing, when the caller no longer holds the lease.</summary>
    Task<LeaseRenewal> RenewAsync(StepRef step, string owner, DateTimeOffset now, TimeSpan lease, ImageState? phase, ImageProgress? progress, CancellationToken cancellationToken);

    /// <summary>Hands the step back unfinished (worker shutting down, or a transient error to be retried): state
    /// pending, lease and worker cleared; attempts and lost-worker count kept. False when the caller did not hold
    /// the lease.</summary>
    Task<bool> ReleaseAsync(StepRef step, string owner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Ends the init step for its lease holder. Success (<paramref name="reservation"/> set, or both null for a
    /// compose that makes no Koji build): init success, compose <see cref="ComposeState.Running"/>, and the pending
    /// images are returned to be enqueued — unless a cancel was requested meanwhile, in which case the pending images
    /// are canceled (error <see cref="JobErrorCodes.Canceled"/>) and counted down instead. Failure
    /// (<paramref name="error"/> set): init failure, every pending image failed with
    /// <see cref="JobErrorCodes.JobDependency"/> (details: a list holding the init error) and counted down, which
    /// claims finalize. Canceled init (<paramref name="canceled"/>): init canceled, images canceled.
    /// </summary>
    Task<InitCompletion> CompleteInitAsync(Guid composeId, string owner, Reservation? reservation, JobError? error, bool canceled, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Ends an image for its lease holder with <paramref name="state"/> (success, failure or canceled),
    /// its error, uploads, manifest and result; marks it counted and decrements the countdown if it was not counted
    /// yet (see the fan-in rule).</summary>
    /// <exception cref="ArgumentException"><paramref name="state"/> is not final, or failure without an error.</exception>
    Task<FanInResult> CompleteImageAsync(StepRef image, string owner, ImageState state, JobError? error, ImageBuildOutcome? outcome, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Ends the finalize step for its lease holder and the compose with <paramref name="state"/>
    /// (success, failure or canceled), its error and the import result; sets the compose's finished time. False
    /// when the caller did not hold the lease.</summary>
    Task<bool> CompleteFinalizeAsync(Guid composeId, string owner, ComposeState state, JobError? error, string? result, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Records an operator's cancel. Steps not yet running end at once: a pending init is canceled with every
    /// pending image; after a successful init the pending images are canceled (error
    /// <see cref="JobErrorCodes.Canceled"/>) and counted down. Running steps see the request through
    /// <see cref="RenewAsync"/> and end themselves. Repeating a cancel changes nothing more.
    /// </summary>
    Task<CancelResult> RequestCancelAsync(Guid composeId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Starts a new generation of a compose that ended in <see cref="ComposeState.Failure"/> or
    /// <see cref="ComposeState.Canceled"/>: generation + 1, cancel request cleared, init pending with no
    /// reservation (the old one was refunded), every failed or canceled image pending again (attempts, lost
    /// workers, error, progress cleared; successful images keep their results), countdown = images reset, finalize
    /// pending and unclaimed, compose <see cref="ComposeState.Pending"/>, finished time cleared.
    /// </summary>
    Task<RetryResult> RetryFailedAsync(Guid composeId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Records that Hangfire job <paramref name="jobId"/> was enqueued for <paramref name="step"/> now.</summary>
    Task MarkEnqueuedAsync(StepRef step, string jobId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Ends every live lease at <paramref name="now"/>, as if every worker had just died; returns how many. Only for
    /// a single-process deployment (the embedded store) starting up: the leases it finds belong to its own previous,
    /// crashed incarnation, and expiring them lets the reconciler hand those steps out at once instead of after a
    /// full lease. A worker that is in fact alive loses its step at its next renewal and stops.
    /// </summary>
    Task<int> ExpireAllLeasesAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Steps the reconciler must look at: (a) <see cref="OrphanReason.ReadyNotRunning"/>: a pending init of a
    /// non-final compose; a pending image after a successful init; a claimed-but-pending finalize; (b)
    /// <see cref="OrphanReason.LeaseExpired"/>: a running step whose lease expired before <paramref name="now"/>
    /// with no job enqueued since it expired. Final composes never appear.
    /// </summary>
    Task<IReadOnlyList<OrphanCandidate>> FindOrphanCandidatesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);
}
