using Hangfire;
using Hangfire.Server;
using KojiComposer.Contracts.Errors;
using KojiComposer.Scheduler.Engine;
using KojiComposer.Scheduler.Koji;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Retry;
using KojiComposer.Scheduler.Store;

namespace KojiComposer.Scheduler.Jobs;

/// <summary>
/// The compose's first step (queue <c>compose-init</c>): reserve the Koji build, then fan out one image job per
/// image onto its architecture's queue. A failed reservation fails every image with JobDependency (26), which
/// brings the countdown to zero and claims finalize.
/// </summary>
internal sealed class InitJob(StepRuntime runtime, IComposeKojiSteps koji)
{
    /// <summary>Reserves the build of compose <paramref name="composeId"/>.</summary>
    [JobDisplayName("{0}")]
    public async Task RunAsync(string description, Guid composeId, PerformContext? context, CancellationToken cancellationToken)
    {
        var step = StepRef.Init(composeId);
        var owner = runtime.NewOwner();
        if (await runtime.ClaimOrSkipAsync(step, owner, cancellationToken) is not { } claim)
        {
            return;
        }

        var compose = await runtime.Store.GetAsync(composeId, cancellationToken)
            ?? throw new InvalidOperationException($"compose {composeId} vanished after its init was claimed");
        if (claim.Outcome == ClaimOutcome.ClaimedCancelRequested)
        {
            await CompleteAsync(compose, owner, null, null, canceled: true);
            return;
        }

        if (claim.Outcome == ClaimOutcome.ClaimedLostWorkerLimit)
        {
            await CompleteAsync(compose, owner, null, new JobError(JobErrorCodes.JobMissingHeartbeat, "scheduler stopped heart-beating during the reservation"), canceled: false);
            return;
        }

        Log.StepStarted(runtime.Logger, step.ToString(), claim.Attempt, description);
        runtime.Observer.StepStarted(StepKind.Init, null, runtime.QueuedFor(context));
        var started = runtime.Time.GetUtcNow();
        Reservation? reservation;
        await using (var keeper = runtime.KeepLease(step, owner, cancellationToken))
        {
            try
            {
                reservation = await koji.ReserveAsync(compose, keeper.Token);
            }
            catch (OperationCanceledException) when (keeper.Token.IsCancellationRequested)
            {
                switch (keeper.Reason)
                {
                    case StopReason.Canceled:
                        await CompleteAsync(compose, owner, null, null, canceled: true, started);
                        return;
                    case StopReason.LeaseLost:
                        Log.StepEnded(runtime.Logger, step.ToString(), "lease lost; left to the process that took it over");
                        return;
                    default:
                        await runtime.HandBackAsync(step, owner);
                        throw;
                }
            }
            catch (Exception e)
            {
                if (await runtime.RetryOrFailAsync(step, owner, e, context) is not { } error)
                {
                    throw;
                }

                await CompleteAsync(compose, owner, null, error, canceled: false, started);
                throw new StepFailedException(step.ToString(), error, e);
            }
        }

        await CompleteAsync(compose, owner, reservation, null, canceled: false, started);
    }

    /// <param name="started">When the reservation began; null when the step ended without running it.</param>
    private async Task CompleteAsync(Compose compose, string owner, Reservation? reservation, JobError? error, bool canceled, DateTimeOffset? started = null)
    {
        var completion = await runtime.RecordAsync(() => runtime.Store.CompleteInitAsync(compose.Id, owner, reservation, error, canceled, runtime.Time.GetUtcNow(), CancellationToken.None));
        var step = StepRef.Init(compose.Id);
        if (!completion.Accepted)
        {
            // Lost the lease while reserving: whoever took the step over reserves again; a Koji implementation
            // finds the existing reservation (IComposeKojiSteps' contract).
            Log.StepEnded(runtime.Logger, step.ToString(), "result refused: lease lost");
            return;
        }

        Log.StepEnded(runtime.Logger, step.ToString(), error?.ToString() ?? (canceled ? "canceled" : reservation?.ToString() ?? "no Koji build"));
        if (started is { } start)
        {
            runtime.Observer.StepFinished(StepKind.Init, null, runtime.Time.GetUtcNow() - start, error is not null ? "failure" : canceled ? "canceled" : "success");
        }
        foreach (var index in completion.ImagesToStart)
        {
            await runtime.Enqueuer.EnqueueAsync(compose, StepRef.Image(compose.Id, index), CancellationToken.None);
        }

        await runtime.EnqueueFinalizeIfClaimedAsync(compose.Id, completion.FinalizeClaimed);
    }
}
