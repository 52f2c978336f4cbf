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
        var claim = await runtime.ClaimAsync(step, owner, cancellationToken);
        if (!claim.HoldsLease)
        {
            Log.StepSkipped(runtime.Logger, step.ToString(), claim.Outcome.ToString());
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
                        await CompleteAsync(compose, owner, null, null, canceled: true);
                        return;
                    case StopReason.LeaseLost:
                        Log.StepEnded(runtime.Logger, step.ToString(), "lease lost; left to the process that took it over");
                        return;
                    default:
                        Log.StepHandedBack(runtime.Logger, step.ToString());
                        await runtime.Store.ReleaseAsync(step, owner, runtime.Time.GetUtcNow(), CancellationToken.None);
                        throw;
                }
            }
            catch (Exception e)
            {
                var retries = context?.GetJobParameter<int>(ComposeRetryFilter.RetryCountParameter) ?? 0;
                var decision = runtime.RetryPolicy.Decide(StepKind.Init, e, retries);
                if (decision.Retry)
                {
                    Log.StepRetrying(runtime.Logger, step.ToString(), decision.Delay.TotalSeconds, e.Message);
                    await runtime.Store.ReleaseAsync(step, owner, runtime.Time.GetUtcNow(), CancellationToken.None);
                    throw;
                }

                Log.StepFailed(runtime.Logger, step.ToString(), decision.Error!.ToString(), e);
                await CompleteAsync(compose, owner, null, decision.Error, canceled: false);
                throw new StepFailedException(step.ToString(), decision.Error, e);
            }
        }

        await CompleteAsync(compose, owner, reservation, null, canceled: false);
    }

    private async Task CompleteAsync(Compose compose, string owner, Reservation? reservation, JobError? error, bool canceled)
    {
        var completion = await runtime.Store.CompleteInitAsync(compose.Id, owner, reservation, error, canceled, runtime.Time.GetUtcNow(), CancellationToken.None);
        var step = StepRef.Init(compose.Id);
        if (!completion.Accepted)
        {
            // Lost the lease while reserving: whoever took the step over reserves again; a Koji implementation
            // finds the existing reservation (IComposeKojiSteps' contract).
            Log.StepEnded(runtime.Logger, step.ToString(), "result refused: lease lost");
            return;
        }

        Log.StepEnded(runtime.Logger, step.ToString(), error?.ToString() ?? (canceled ? "canceled" : reservation?.ToString() ?? "no Koji build"));
        runtime.Observer.StepFinished(StepKind.Init, null, TimeSpan.Zero, error is not null ? "failure" : canceled ? "canceled" : "success");
        foreach (var index in completion.ImagesToStart)
        {
            await runtime.Enqueuer.EnqueueAsync(compose, StepRef.Image(compose.Id, index), CancellationToken.None);
        }

        await runtime.EnqueueFinalizeIfClaimedAsync(compose.Id, completion.FinalizeClaimed);
    }
}
