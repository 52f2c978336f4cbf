using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Store.Relational;

/// <summary>The step runners' calls: claim, renew, release and the three completions.</summary>
internal abstract partial class RelationalComposeStore
{
    private static readonly InitCompletion InitRefused = new(false, [], false);
    private static readonly FanInResult ImageRefused = new(false, false);

    /// <inheritdoc />
    public Task<StepClaim> ClaimAsync(StepRef step, string owner, DateTimeOffset now, TimeSpan lease, int maxLostWorkers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        return WriteAsync(step.ComposeId, row =>
        {
            var claim = ComposeRules.Claim(row, step, owner, now, lease, maxLostWorkers);
            return (claim.HoldsLease, claim);
        }, new StepClaim(ClaimOutcome.NotReady), cancellationToken);
    }

    /// <inheritdoc />
    public Task<LeaseRenewal> RenewAsync(StepRef step, string owner, DateTimeOffset now, TimeSpan lease, ImageState? phase, ImageProgress? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        if (phase is not (null or ImageState.Building or ImageState.Uploading))
        {
            throw new ArgumentException($"a running image's phase is building or uploading, not {phase.Value.ToWire()}", nameof(phase));
        }

        return WriteAsync(step.ComposeId, row =>
        {
            if (!ComposeRules.IsHeldBy(row, step, owner))
            {
                return (false, new LeaseRenewal(false, row.CancelRequested));
            }

            ComposeRules.Renew(row, step, now, lease, phase, progress);
            return (true, new LeaseRenewal(true, row.CancelRequested));
        }, new LeaseRenewal(false, false), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> ReleaseAsync(StepRef step, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return WriteAsync(step.ComposeId, row =>
        {
            if (!ComposeRules.IsHeldBy(row, step, owner))
            {
                return (false, false);
            }

            ComposeRules.Release(row, step, now);
            return (true, true);
        }, false, cancellationToken);
    }

    /// <inheritdoc />
    public Task<InitCompletion> CompleteInitAsync(Guid composeId, string owner, Reservation? reservation, JobError? error, bool canceled, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        if (error is not null && canceled)
        {
            throw new ArgumentException("an init ends either failed (error) or canceled, not both", nameof(canceled));
        }

        if (reservation?.Release is { } newRelease && string.IsNullOrWhiteSpace(newRelease))
        {
            throw new ArgumentException("the reservation's release is empty (null means the compose's release)", nameof(reservation));
        }

        var step = StepRef.Init(composeId);
        return WriteAsync(composeId, row =>
        {
            if (!ComposeRules.IsHeldBy(row, step, owner))
            {
                return (false, InitRefused);
            }

            // Kept whatever the outcome: a reservation made before a cancel or a later failure is refunded by finalize.
            // A build reserved under another release (a generated one taken meanwhile) renames the compose: its
            // NVR is the build's from now on. The stored reservation then carries no release of its own.
            if (reservation?.Release is { } release && !string.Equals(release, row.Release, StringComparison.Ordinal))
            {
                row.Release = release;
            }

            row.Reservation = reservation is null ? row.Reservation : reservation with { Release = null };
            row.Init.LeaseUntil = null;
            row.Init.FinishedAt = now;
            row.UpdatedAt = now;
            IReadOnlyList<int> toStart = [];
            if (error is not null)
            {
                row.InitState = StepState.Failure;
                row.InitError = error;
                ComposeRules.FailPendingImages(row, error, now);
            }
            else if (canceled)
            {
                row.InitState = StepState.Canceled;
                ComposeRules.CancelPendingImages(row, now);
            }
            else
            {
                row.InitState = StepState.Success;
                row.InitError = null;
                if (row.CancelRequested)
                {
                    ComposeRules.CancelPendingImages(row, now);
                }
                else
                {
                    row.State = ComposeState.Running;
                    toStart = row.Images.Where(i => i.State == ImageState.Pending).Select(i => i.Index).ToList();
                }
            }

            // Also claims finalize when no image was left to build (a retry after only the import failed).
            var claimed = ComposeRules.TryClaimFinalize(row, now);
            return (true, new InitCompletion(true, toStart, claimed));
        }, InitRefused, cancellationToken);
    }

    /// <inheritdoc />
    public Task<FanInResult> CompleteImageAsync(StepRef image, string owner, ImageState state, JobError? error, ImageBuildOutcome? outcome, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        if (image.Kind != StepKind.Image)
        {
            throw new ArgumentException($"{image} is not an image step", nameof(image));
        }

        if (!state.IsFinal())
        {
            throw new ArgumentException($"an image ends in success, failure or canceled, not {state.ToWire()}", nameof(state));
        }

        error ??= outcome?.Error;
        if (state == ImageState.Failure && error is null)
        {
            throw new ArgumentException("a failed image needs its error", nameof(error));
        }

        return WriteAsync(image.ComposeId, row =>
        {
            if (!ComposeRules.IsHeldBy(row, image, owner))
            {
                return (false, ImageRefused);
            }

            var imageRow = row.Images[image.ImageIndex];
            if (outcome is not null)
            {
                imageRow.Uploads = outcome.Uploads;
                imageRow.Manifest = outcome.Manifest;
                imageRow.Result = outcome.Result;
            }

            ComposeRules.EndImage(row, imageRow, state, state == ImageState.Success ? null : error, now);
            return (true, new FanInResult(true, ComposeRules.TryClaimFinalize(row, now)));
        }, ImageRefused, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> CompleteFinalizeAsync(Guid composeId, string owner, ComposeState state, JobError? error, string? result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        if (!state.IsFinal())
        {
            throw new ArgumentException($"a compose ends in success, failure or canceled, not {state.ToWire()}", nameof(state));
        }

        var step = StepRef.Finalize(composeId);
        return WriteAsync(composeId, row =>
        {
            if (!ComposeRules.IsHeldBy(row, step, owner))
            {
                return (false, false);
            }

            row.FinalizeState = state switch
            {
                ComposeState.Success => StepState.Success,
                ComposeState.Canceled => StepState.Canceled,
                _ => StepState.Failure,
            };
            row.FinalizeError = error;
            row.FinalizeResult = result;
            row.Finalize.LeaseUntil = null;
            row.Finalize.FinishedAt = now;
            row.State = state;
            row.FinishedAt = now;
            row.UpdatedAt = now;
            return (true, true);
        }, false, cancellationToken);
    }
}
