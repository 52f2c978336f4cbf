using System.Text.Json.Nodes;
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
/// The compose's last step (queue <c>compose-finalize</c>), run once the last image ended, whether images
/// succeeded or not: import when the reservation and every image succeeded, otherwise refund the reservation
/// (as canceled after a cancel), then end the compose. Every reservation is thereby imported or refunded.
/// </summary>
internal sealed class FinalizeJob(StepRuntime runtime, IComposeKojiSteps koji)
{
    /// <summary>Imports or refunds compose <paramref name="composeId"/>.</summary>
    [JobDisplayName("{0}")]
    public async Task RunAsync(string description, Guid composeId, PerformContext? context, CancellationToken cancellationToken)
    {
        var step = StepRef.Finalize(composeId);
        var owner = runtime.NewOwner();
        if (await runtime.ClaimOrSkipAsync(step, owner, cancellationToken) is not { } claim)
        {
            return;
        }

        var compose = await runtime.Store.GetAsync(composeId, cancellationToken)
            ?? throw new InvalidOperationException($"compose {composeId} vanished after its finalize was claimed");
        Log.StepStarted(runtime.Logger, step.ToString(), claim.Attempt, description);
        runtime.Observer.StepStarted(StepKind.Finalize, null, runtime.QueuedFor(context));
        var started = runtime.Time.GetUtcNow();
        // A cancel that arrives now changes nothing: finalize read the compose above and decides from that; an
        // import already on its way to Koji must not be cut off (it would be reported as a crash and refunded).
        await using var keeper = runtime.KeepLease(step, owner, cancellationToken, stopOnCancel: false);
        try
        {
            var (state, error, result) = await DecideAndRunAsync(compose, keeper.Token);
            if (keeper.Reason == StopReason.LeaseLost)
            {
                return;
            }

            var accepted = await runtime.RecordAsync(() => runtime.Store.CompleteFinalizeAsync(composeId, owner, state, error, result, runtime.Time.GetUtcNow(), CancellationToken.None));
            if (accepted)
            {
                Log.ComposeEnded(runtime.Logger, composeId, compose.Nvr, error is null ? state.ToWire() : $"{state.ToWire()} ({error})");
                runtime.Observer.StepFinished(StepKind.Finalize, null, runtime.Time.GetUtcNow() - started, state.ToWire());
                runtime.Observer.ComposeFinished(state);
            }
        }
        catch (OperationCanceledException) when (keeper.Token.IsCancellationRequested)
        {
            if (keeper.Reason == StopReason.None)
            {
                await runtime.HandBackAsync(step, owner);
                throw;
            }
        }
        catch (Exception e) when (e is not StepFailedException)
        {
            if (await runtime.RetryOrFailAsync(step, owner, e, context) is not { } error)
            {
                throw;
            }

            // The import (or refund) failed for good: refund if the import was what failed, end the compose.
            await RefundQuietlyAsync(compose, canceled: false);
            await runtime.RecordAsync(() => runtime.Store.CompleteFinalizeAsync(composeId, owner, ComposeState.Failure, error, null, runtime.Time.GetUtcNow(), CancellationToken.None));
            runtime.Observer.ComposeFinished(ComposeState.Failure);
            throw new StepFailedException(step.ToString(), error, e);
        }
    }

    private async Task<(ComposeState State, JobError? Error, string? Result)> DecideAndRunAsync(Compose compose, CancellationToken cancellationToken)
    {
        if (compose.CancelRequested)
        {
            await RefundAsync(compose, canceled: true, cancellationToken);
            return (ComposeState.Canceled, JobError.Canceled(), null);
        }

        var failed = FailedDependencies(compose);
        if (failed.Count > 0)
        {
            await RefundAsync(compose, canceled: false, cancellationToken);
            return (ComposeState.Failure, new JobError(JobErrorCodes.KojiFailedDependency, "Koji import skipped: a dependency failed", failed), null);
        }

        var result = await koji.ImportAsync(compose, cancellationToken);
        return (ComposeState.Success, null, result);
    }

    /// <summary>The errors of the reservation and of every image that did not succeed, for code 13's details.</summary>
    private static JsonArray FailedDependencies(Compose compose)
    {
        var failed = new JsonArray();
        if (compose.InitState != StepState.Success)
        {
            failed.Add((JsonNode)(compose.InitError ?? new JobError(JobErrorCodes.KojiInit, "build reservation did not succeed")).ToJson());
        }

        foreach (var image in compose.Images.Where(i => i.State != ImageState.Success))
        {
            failed.Add((JsonNode)(image.Error ?? new JobError(JobErrorCodes.JobDependency, $"{image.Arch} {image.ImageType} did not succeed")).ToJson());
        }

        return failed;
    }

    /// <summary>Refunds the reservation. A refusal for good (e.g. the token no longer matches) is logged, never the
    /// compose's outcome (cg-import.md §5: refund errors are never fatal); transient errors go to the retry policy.</summary>
    private async Task RefundAsync(Compose compose, bool canceled, CancellationToken cancellationToken)
    {
        if (compose.Reservation is null)
        {
            return;
        }

        try
        {
            await koji.RefundAsync(compose, canceled, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException && !StepRetryPolicy.IsTransient(e))
        {
            Log.RefundFailed(runtime.Logger, compose.Id, compose.Reservation.BuildId, e);
        }
    }

    private async Task RefundQuietlyAsync(Compose compose, bool canceled)
    {
        try
        {
            await RefundAsync(compose, canceled, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // composer logs refund errors only: the compose has already failed for a reason users must see.
            Log.RefundFailed(runtime.Logger, compose.Id, compose.Reservation!.BuildId, e);
        }
    }
}
