using Hangfire;
using Hangfire.Server;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.Scheduler.Engine;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Retry;
using KojiComposer.Scheduler.Store;

namespace KojiComposer.Scheduler.Jobs;

/// <summary>
/// Builds one image on a worker of its architecture (queue <c>build-&lt;arch&gt;</c>). Hangfire delivers at least
/// once, so every delivery first claims the image's lease in the store: a repeated or duplicate delivery finds the
/// image final or held and does nothing.
/// </summary>
internal sealed class ImageJob(StepRuntime runtime, IImageBuildStep buildStep)
{
    /// <summary>Runs image <paramref name="imageIndex"/> of compose <paramref name="composeId"/>.</summary>
    /// <param name="description">Dashboard name, e.g. <c>build Fedora-Cloud-42-1 x86_64 qcow2 (task 1234)</c>.</param>
    /// <param name="composeId">The compose.</param>
    /// <param name="imageIndex">The image.</param>
    /// <param name="context">Supplied by Hangfire.</param>
    /// <param name="cancellationToken">Signalled by Hangfire on shutdown or job deletion.</param>
    [JobDisplayName("{0}")]
    public async Task RunAsync(string description, Guid composeId, int imageIndex, PerformContext? context, CancellationToken cancellationToken)
    {
        var step = StepRef.Image(composeId, imageIndex);
        var owner = runtime.NewOwner();
        if (await runtime.ClaimOrSkipAsync(step, owner, cancellationToken) is not { } claim)
        {
            return;
        }

        var compose = await runtime.Store.GetAsync(composeId, cancellationToken)
            ?? throw new InvalidOperationException($"compose {composeId} vanished after its image was claimed");
        var image = compose.Images[imageIndex];
        switch (claim.Outcome)
        {
            case ClaimOutcome.ClaimedCancelRequested:
                await CompleteAsync(step, owner, image, ImageState.Canceled, JobError.Canceled(), null);
                return;
            case ClaimOutcome.ClaimedLostWorkerLimit:
                var lost = new JobError(JobErrorCodes.JobMissingHeartbeat, "worker stopped heart-beating",
                    $"the worker building this image stopped renewing its lease {image.LostWorkers} times; last worker: {image.Worker}");
                await CompleteAsync(step, owner, image, ImageState.Failure, lost, null);
                return;
        }

        Log.StepStarted(runtime.Logger, step.ToString(), claim.Attempt, description);
        runtime.Observer.StepStarted(StepKind.Image, image.Arch, runtime.QueuedFor(context));
        var started = runtime.Time.GetUtcNow();
        var keeper = runtime.KeepLease(step, owner, cancellationToken);
        ImageBuildOutcome outcome;
        try
        {
            var request = Request(compose, image, claim.Attempt);
            keeper.Report(ImageBuildPhase.Building);
            outcome = await buildStep.BuildAsync(request, keeper, keeper.Token);
        }
        catch (OperationCanceledException) when (keeper.Token.IsCancellationRequested)
        {
            var reason = keeper.Reason;
            await keeper.DisposeAsync();
            switch (reason)
            {
                case StopReason.Canceled:
                    await CompleteAsync(step, owner, image, ImageState.Canceled, JobError.Canceled(), null, started);
                    return;
                case StopReason.LeaseLost:
                    // Another worker may own the image now: write nothing, the Hangfire job simply ends.
                    Log.StepEnded(runtime.Logger, step.ToString(), "lease lost; left to the worker that took it over");
                    return;
                default:
                    await runtime.HandBackAsync(step, owner);
                    throw;
            }
        }
        catch (Exception e)
        {
            await keeper.DisposeAsync();
            await FailOrRetryAsync(step, owner, image, e, context, started);
            throw;
        }

        await keeper.DisposeAsync();
        if (keeper.Reason == StopReason.LeaseLost)
        {
            Log.StepEnded(runtime.Logger, step.ToString(), "finished after its lease was lost; result dropped");
            return;
        }

        if (outcome.Success)
        {
            await CompleteAsync(step, owner, image, ImageState.Success, null, outcome, started);
        }
        else
        {
            await CompleteAsync(step, owner, image, ImageState.Failure, outcome.Error, outcome, started);
        }
    }

    internal static ImageBuildRequest Request(Compose compose, ComposeImage image, int attempt) => new()
    {
        ComposeId = compose.Id,
        ImageIndex = image.Index,
        Name = compose.Name,
        Version = compose.Version,
        Release = compose.Release,
        Distribution = compose.Distribution,
        Arch = image.Arch,
        ImageType = image.ImageType,
        KojiTaskId = compose.KojiTaskId,
        KojiBuildId = compose.Reservation?.BuildId,
        KojiServer = compose.KojiServer,
        KojiUploadDirectory = compose.KojiServer is null ? null : KojiUploadDirectory.For(compose.Id),
        ImageRequest = image.ImageRequest,
        Customizations = compose.Customizations,
        Seed = compose.Seed,
        PreviousAttempts = Math.Max(0, attempt - 1),
    };

    private async Task FailOrRetryAsync(StepRef step, string owner, ComposeImage image, Exception exception, PerformContext? context, DateTimeOffset started)
    {
        if (await runtime.RetryOrFailAsync(step, owner, exception, context) is { } error)
        {
            await CompleteAsync(step, owner, image, ImageState.Failure, error, null, started);
            throw new StepFailedException(step.ToString(), error, exception);
        }
    }

    private async Task CompleteAsync(StepRef step, string owner, ComposeImage image, ImageState state, JobError? error, ImageBuildOutcome? outcome, DateTimeOffset? started = null)
    {
        // Completion writes are not canceled by shutdown: the result exists, losing it would rebuild the image.
        var fanIn = await runtime.RecordAsync(() => runtime.Store.CompleteImageAsync(step, owner, state, error, outcome, runtime.Time.GetUtcNow(), CancellationToken.None));
        Log.StepEnded(runtime.Logger, step.ToString(), fanIn.Accepted ? (error?.ToString() ?? state.ToWire()) : "result refused: lease lost");
        if (fanIn.Accepted && started is { } start)
        {
            runtime.Observer.StepFinished(StepKind.Image, image.Arch, runtime.Time.GetUtcNow() - start, state.ToWire());
        }

        await runtime.EnqueueFinalizeIfClaimedAsync(step.ComposeId, fanIn.FinalizeClaimed);
    }
}
