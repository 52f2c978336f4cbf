using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Store;

namespace KojiComposer.Scheduler.Engine;

/// <summary>
/// What users and the Koji task intake can do to composes: submit, cancel, retry the failed images. Each call writes
/// the store first and then enqueues the steps it made ready, so a crash in between is repaired by the reconciler.
/// </summary>
public interface IComposeOperations
{
    /// <summary>Creates the compose and enqueues its init step. For a Koji task that already has a compose, returns
    /// that one (<c>Created = false</c>) and enqueues nothing.</summary>
    Task<(Compose Compose, bool Created)> SubmitAsync(NewCompose compose, CancellationToken cancellationToken);

    /// <summary>Cancels the compose: steps not started end at once, running images are stopped within a lease
    /// renewal interval, and the reservation is refunded as canceled.</summary>
    Task<CancelOutcome> CancelAsync(Guid composeId, CancellationToken cancellationToken);

    /// <summary>Builds the failed and canceled images of a failed or canceled compose again, with a new
    /// reservation; successful images keep their results.</summary>
    Task<RetryResult> RetryFailedAsync(Guid composeId, CancellationToken cancellationToken);
}
