using System.Text.Json.Nodes;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Store.Relational;

/// <summary>
/// The contract's rules (<see cref="IComposeStore"/>) applied to a loaded <see cref="ComposeRow"/>. Every caller
/// holds the compose's write lock (PostgreSQL <c>SELECT ... FOR UPDATE</c>, SQLite <c>BEGIN IMMEDIATE</c>) from the
/// load to the commit, so a rule's check and its change are one atomic step: the fan-in's "counted marker plus
/// decrement" and the guarded finalize claim (hangfire-dispatch.md) can never interleave with another call.
/// </summary>
internal static class ComposeRules
{
    /// <summary>Where a step is, whatever its kind.</summary>
    public enum Phase
    {
        Pending,
        Running,
        Final,
    }

    public static ImageRow? FindImage(ComposeRow row, int index) =>
        index >= 0 && index < row.Images.Count ? row.Images[index] : null;

    public static StepLease? LeaseOf(ComposeRow row, StepRef step) => step.Kind switch
    {
        StepKind.Init => row.Init,
        StepKind.Finalize => row.Finalize,
        _ => FindImage(row, step.ImageIndex)?.Lease,
    };

    public static Phase PhaseOf(ComposeRow row, StepRef step) => step.Kind switch
    {
        StepKind.Init => Of(row.InitState),
        StepKind.Finalize => Of(row.FinalizeState),
        _ => FindImage(row, step.ImageIndex) is { } image ? Of(image.State) : Phase.Final,
    };

    /// <summary>True when <paramref name="owner"/> holds the step's lease: the step runs and its worker is the
    /// owner. A lease that ran out but was not taken by another worker yet still counts: nobody else wrote.</summary>
    public static bool IsHeldBy(ComposeRow row, StepRef step, string owner) =>
        PhaseOf(row, step) == Phase.Running && string.Equals(LeaseOf(row, step)?.Worker, owner, StringComparison.Ordinal);

    public static StepClaim Claim(ComposeRow row, StepRef step, string owner, DateTimeOffset now, TimeSpan lease, int maxLostWorkers)
    {
        var image = step.Kind == StepKind.Image ? FindImage(row, step.ImageIndex) : null;
        if (step.Kind == StepKind.Image && image is null)
        {
            return new StepClaim(ClaimOutcome.NotReady);
        }

        var phase = PhaseOf(row, step);
        if (phase == Phase.Final)
        {
            return new StepClaim(ClaimOutcome.AlreadyFinished);
        }

        var ready = step.Kind switch
        {
            StepKind.Image => row.InitState == StepState.Success,
            StepKind.Finalize => row.FinalizeClaimed,
            _ => true,
        };
        if (!ready)
        {
            return new StepClaim(ClaimOutcome.NotReady);
        }

        var stepLease = LeaseOf(row, step)!;
        var lostWorker = false;
        if (phase == Phase.Running)
        {
            if (string.Equals(stepLease.Worker, owner, StringComparison.Ordinal))
            {
                // The same owner asking again (a duplicate delivery inside one process) gets its lease back.
                stepLease.LeaseUntil = now + lease;
                Touch(row, image, now);
                return new StepClaim(Outcome(row, stepLease, maxLostWorkers, lostWorker: false), stepLease.Attempts);
            }

            if (stepLease.LeaseUntil > now)
            {
                return new StepClaim(ClaimOutcome.HeldByOther);
            }

            // The previous worker stopped renewing: it died (or hangs). Its writes are refused from now on.
            lostWorker = true;
            stepLease.LostWorkers++;
        }

        stepLease.Attempts++;
        stepLease.Worker = owner;
        stepLease.LeaseUntil = now + lease;
        stepLease.StartedAt = now;
        stepLease.FinishedAt = null;
        switch (step.Kind)
        {
            case StepKind.Init:
                row.InitState = StepState.Running;
                break;
            case StepKind.Finalize:
                row.FinalizeState = StepState.Running;
                break;
            default:
                image!.State = ImageState.Building;
                break;
        }

        Touch(row, image, now);
        return new StepClaim(Outcome(row, stepLease, maxLostWorkers, lostWorker), stepLease.Attempts);
    }

    private static ClaimOutcome Outcome(ComposeRow row, StepLease lease, int maxLostWorkers, bool lostWorker)
    {
        // A cancel wins over the lost-worker limit: the operator asked for it, and both end the step.
        if (row.CancelRequested)
        {
            return ClaimOutcome.ClaimedCancelRequested;
        }

        return lostWorker && lease.LostWorkers > maxLostWorkers ? ClaimOutcome.ClaimedLostWorkerLimit : ClaimOutcome.Claimed;
    }

    /// <summary>Extends the lease and records the image's phase and progress; the caller checked the owner.</summary>
    public static void Renew(ComposeRow row, StepRef step, DateTimeOffset now, TimeSpan lease, ImageState? phase, ImageProgress? progress)
    {
        LeaseOf(row, step)!.LeaseUntil = now + lease;
        var image = step.Kind == StepKind.Image ? FindImage(row, step.ImageIndex) : null;
        if (image is not null)
        {
            if (phase is { } newPhase)
            {
                image.State = newPhase;
            }

            if (progress is not null)
            {
                image.Progress = progress;
            }
        }

        Touch(row, image, now);
    }

    /// <summary>Hands the step back (state pending, lease and worker cleared); the caller checked the owner.</summary>
    public static void Release(ComposeRow row, StepRef step, DateTimeOffset now)
    {
        var lease = LeaseOf(row, step)!;
        lease.Worker = null;
        lease.LeaseUntil = null;
        var image = step.Kind == StepKind.Image ? FindImage(row, step.ImageIndex) : null;
        switch (step.Kind)
        {
            case StepKind.Init:
                row.InitState = StepState.Pending;
                break;
            case StepKind.Finalize:
                row.FinalizeState = StepState.Pending;
                break;
            default:
                image!.State = ImageState.Pending;
                break;
        }

        Touch(row, image, now);
    }

    /// <summary>Ends an image and, when its end was not counted in this generation yet, counts it down: the
    /// marker and the decrement change together, so a repeated delivery never decrements twice.</summary>
    public static void EndImage(ComposeRow row, ImageRow image, ImageState state, JobError? error, DateTimeOffset now)
    {
        image.State = state;
        image.Error = error;
        image.Lease.LeaseUntil = null;
        image.Lease.FinishedAt = now;
        if (!image.Counted)
        {
            if (row.Remaining <= 0)
            {
                throw new InvalidOperationException($"compose {row.Id}: fan-in countdown would go below zero");
            }

            image.Counted = true;
            row.Remaining--;
        }

        Touch(row, image, now);
    }

    /// <summary>Cancels every pending image (error <see cref="JobErrorCodes.Canceled"/>) and counts it down.</summary>
    public static void CancelPendingImages(ComposeRow row, DateTimeOffset now)
    {
        foreach (var image in row.Images.Where(i => i.State == ImageState.Pending))
        {
            EndImage(row, image, ImageState.Canceled, JobError.Canceled(), now);
        }
    }

    /// <summary>Fails every pending image because the reservation failed (error
    /// <see cref="JobErrorCodes.JobDependency"/>, details: a list holding the reservation's error).</summary>
    public static void FailPendingImages(ComposeRow row, JobError initError, DateTimeOffset now)
    {
        foreach (var image in row.Images.Where(i => i.State == ImageState.Pending))
        {
            var error = new JobError(JobErrorCodes.JobDependency, "build reservation failed", new JsonArray(initError.ToJson()));
            EndImage(row, image, ImageState.Failure, error, now);
        }
    }

    /// <summary>The guarded finalize claim: only when init ended, the countdown reached zero and nobody claimed it
    /// before in this generation. True for exactly one caller per generation.</summary>
    public static bool TryClaimFinalize(ComposeRow row, DateTimeOffset now)
    {
        if (row.FinalizeClaimed || row.Remaining != 0 || !row.InitState.IsFinal())
        {
            return false;
        }

        row.FinalizeClaimed = true;
        row.State = ComposeState.Finalizing;
        row.UpdatedAt = now;
        return true;
    }

    public static void Touch(ComposeRow row, ImageRow? image, DateTimeOffset now)
    {
        row.UpdatedAt = now;
        if (image is not null)
        {
            image.Dirty = true;
        }
    }

    private static Phase Of(StepState state) => state switch
    {
        StepState.Pending => Phase.Pending,
        StepState.Running => Phase.Running,
        _ => Phase.Final,
    };

    private static Phase Of(ImageState state) => state switch
    {
        ImageState.Pending => Phase.Pending,
        ImageState.Building or ImageState.Uploading => Phase.Running,
        _ => Phase.Final,
    };
}
