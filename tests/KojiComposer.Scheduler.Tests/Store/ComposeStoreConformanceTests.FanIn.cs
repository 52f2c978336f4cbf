using System.Text.Json.Nodes;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Store;

namespace KojiComposer.Scheduler.Tests.Store;

/// <summary>Init, image and finalize completions, cancel and retry: the fan-in rule.</summary>
public abstract partial class ComposeStoreConformanceTests
{
    [Fact]
    public async Task CompleteInit_ReturnsImagesToStart_AndRunsTheCompose_OnSuccess()
    {
        var id = await CreateAsync(images: 3);
        await ClaimAsync(StepRef.Init(id), Scheduler, T0);

        var init = await Store.CompleteInitAsync(id, Scheduler, new Reservation(4242, Token), null, false, T0.AddSeconds(3), CancellationToken.None);

        Assert.True(init.Accepted);
        Assert.Equal([0, 1, 2], init.ImagesToStart);
        Assert.False(init.FinalizeClaimed);
        var stored = await GetAsync(id);
        Assert.Equal(ComposeState.Running, stored.State);
        Assert.Equal(StepState.Success, stored.InitState);
        Assert.Equal(4242, stored.Reservation?.BuildId);
        Assert.All(stored.Images, i => Assert.Equal(ImageState.Pending, i.State));
        Assert.Equal(ClaimOutcome.Claimed, (await ClaimAsync(StepRef.Image(id, 2), Builder, T0.AddSeconds(4))).Outcome);
    }

    [Fact]
    public async Task CompleteInit_SucceedsWithoutReservation_ForAComposeWithoutKojiBuild()
    {
        var id = await CreateAsync(images: 1);
        await ClaimAsync(StepRef.Init(id), Scheduler, T0);

        var init = await Store.CompleteInitAsync(id, Scheduler, null, null, false, T0.AddSeconds(1), CancellationToken.None);

        Assert.Equal([0], init.ImagesToStart);
        Assert.Null((await GetAsync(id)).Reservation);
        Assert.Equal(ComposeState.Running, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task CompleteInit_FailsEveryImageWithTheInitErrorAndClaimsFinalize_OnFailure()
    {
        var id = await CreateAsync(images: 2);
        await ClaimAsync(StepRef.Init(id), Scheduler, T0);
        var error = new JobError(JobErrorCodes.KojiInit, "CGInitBuild failed: build already exists");

        var init = await Store.CompleteInitAsync(id, Scheduler, null, error, false, T0.AddSeconds(3), CancellationToken.None);

        Assert.True(init.Accepted);
        Assert.Empty(init.ImagesToStart);
        Assert.True(init.FinalizeClaimed);
        var stored = await GetAsync(id);
        Assert.Equal(ComposeState.Finalizing, stored.State);
        Assert.Equal(StepState.Failure, stored.InitState);
        Assert.Equal(error, stored.InitError);
        Assert.All(stored.Images, i =>
        {
            Assert.Equal(ImageState.Failure, i.State);
            Assert.Equal(JobErrorCodes.JobDependency, i.Error?.Id);
            AssertJsonEqual(new JsonArray(error.ToJson()), i.Error?.Details);
        });
        Assert.Equal(new StepClaim(ClaimOutcome.Claimed, 1), await ClaimAsync(StepRef.Finalize(id), Scheduler, T0.AddSeconds(4)));
    }

    [Fact]
    public async Task CompleteInit_CancelsEveryImageAndClaimsFinalize_WhenInitWasCanceled()
    {
        var id = await CreateAsync(images: 2);
        await ClaimAsync(StepRef.Init(id), Scheduler, T0);

        var init = await Store.CompleteInitAsync(id, Scheduler, null, null, true, T0.AddSeconds(3), CancellationToken.None);

        Assert.True(init.FinalizeClaimed);
        var stored = await GetAsync(id);
        Assert.Equal(StepState.Canceled, stored.InitState);
        Assert.Equal(ComposeState.Finalizing, stored.State);
        Assert.All(stored.Images, i =>
        {
            Assert.Equal(ImageState.Canceled, i.State);
            Assert.Equal(JobErrorCodes.Canceled, i.Error?.Id);
        });
    }

    [Fact]
    public async Task CompleteInit_CancelsTheImagesInsteadOfStartingThem_WhenACancelCameDuringInit()
    {
        var id = await CreateAsync(images: 2);
        await ClaimAsync(StepRef.Init(id), Scheduler, T0);
        var cancel = await Store.RequestCancelAsync(id, T0.AddSeconds(1), CancellationToken.None);
        Assert.Equal(new CancelResult(CancelOutcome.Requested, false), cancel);
        Assert.Equal(StepState.Running, (await GetAsync(id)).InitState);

        var init = await Store.CompleteInitAsync(id, Scheduler, new Reservation(4242, Token), null, false, T0.AddSeconds(2), CancellationToken.None);

        Assert.True(init.Accepted);
        Assert.Empty(init.ImagesToStart);
        Assert.True(init.FinalizeClaimed);
        var stored = await GetAsync(id);
        Assert.All(stored.Images, i => Assert.Equal(ImageState.Canceled, i.State));
        Assert.Equal(4242, stored.Reservation?.BuildId);
        Assert.Equal(ComposeState.Finalizing, stored.State);
    }

    [Fact]
    public async Task CompleteImage_ClaimsFinalize_OnlyWithTheLastImage()
    {
        var id = await CreateReservedAsync(images: 3);

        var first = await BuildAsync(id, 0);
        var second = await BuildAsync(id, 2, ImageState.Failure);
        Assert.Equal(ComposeState.Running, (await GetAsync(id)).State);
        var last = await BuildAsync(id, 1);

        Assert.Equal([true, true, true], new[] { first.Accepted, second.Accepted, last.Accepted });
        Assert.Equal([false, false, true], new[] { first.FinalizeClaimed, second.FinalizeClaimed, last.FinalizeClaimed });
        var stored = await GetAsync(id);
        Assert.Equal(ComposeState.Finalizing, stored.State);
        Assert.Equal([ImageState.Success, ImageState.Success, ImageState.Failure], stored.Images.Select(i => i.State));
        Assert.Equal("koji", Assert.Single(stored.Images[0].Uploads).Type);
        Assert.Contains("\"image\":0", stored.Images[0].Manifest, StringComparison.Ordinal);
        Assert.Contains("\"image\":1", stored.Images[1].Result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteImage_ClaimsFinalizeOnce_WhenDeliveredTwice()
    {
        var id = await CreateReservedAsync(images: 2);
        await BuildAsync(id, 0);
        var image = StepRef.Image(id, 1);
        await ClaimAsync(image, Builder, T0.AddMinutes(1));

        var first = await Store.CompleteImageAsync(image, Builder, ImageState.Success, null, Outcome(1), T0.AddMinutes(2), CancellationToken.None);
        var repeat = await Store.CompleteImageAsync(image, Builder, ImageState.Failure, new JobError(JobErrorCodes.BuildJob, "late"), null, T0.AddMinutes(3), CancellationToken.None);

        Assert.Equal(new FanInResult(true, true), first);
        Assert.Equal(new FanInResult(false, false), repeat);
        var stored = await GetAsync(id);
        Assert.Equal(ImageState.Success, stored.Images[1].State);
        Assert.Null(stored.Images[1].Error);
        Assert.Equal(T0.AddMinutes(2), stored.Images[1].FinishedAt);
        Assert.Equal(ComposeState.Finalizing, stored.State);
    }

    [Fact]
    public async Task CompleteFinalize_EndsTheCompose_WithStateResultAndFinishedTime()
    {
        var id = await CreateReservedAsync(images: 1);
        await BuildAsync(id, 0);
        Assert.Equal(new StepClaim(ClaimOutcome.Claimed, 1), await ClaimAsync(StepRef.Finalize(id), Scheduler, T0.AddMinutes(5)));

        var done = await Store.CompleteFinalizeAsync(id, Scheduler, ComposeState.Success, null, "{\"build_id\":4242}", T0.AddMinutes(6), CancellationToken.None);

        Assert.True(done);
        var stored = await GetAsync(id);
        Assert.Equal(ComposeState.Success, stored.State);
        Assert.Equal(StepState.Success, stored.FinalizeState);
        Assert.Equal(T0.AddMinutes(6), stored.FinishedAt);
        AssertJsonEqual(JsonNode.Parse("{\"build_id\":4242}"), JsonNode.Parse(stored.FinalizeResult!));
        Assert.False(await Store.CompleteFinalizeAsync(id, Scheduler, ComposeState.Failure, null, null, T0.AddMinutes(7), CancellationToken.None));
        Assert.Equal(ClaimOutcome.AlreadyFinished, (await ClaimAsync(StepRef.Finalize(id), Scheduler, T0.AddMinutes(8))).Outcome);
        Assert.Equal(ComposeState.Success, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task CompleteFinalize_RecordsTheSkippedImport_OnFailure()
    {
        var id = await CreateReservedAsync(images: 1);
        await BuildAsync(id, 0, ImageState.Failure);
        await ClaimAsync(StepRef.Finalize(id), Scheduler, T0.AddMinutes(5));
        var skipped = new JobError(JobErrorCodes.KojiFailedDependency, "import skipped: an image failed");

        await Store.CompleteFinalizeAsync(id, Scheduler, ComposeState.Failure, skipped, null, T0.AddMinutes(6), CancellationToken.None);

        var stored = await GetAsync(id);
        Assert.Equal(ComposeState.Failure, stored.State);
        Assert.Equal(StepState.Failure, stored.FinalizeState);
        Assert.Equal(skipped, stored.FinalizeError);
        Assert.Equal(T0.AddMinutes(6), stored.FinishedAt);
    }

    [Fact]
    public async Task RequestCancel_CancelsAPendingInitWithEveryImage_AndClaimsFinalize()
    {
        var id = await CreateAsync(images: 2);

        var cancel = await Store.RequestCancelAsync(id, T0.AddSeconds(1), CancellationToken.None);

        Assert.Equal(new CancelResult(CancelOutcome.Requested, true), cancel);
        var stored = await GetAsync(id);
        Assert.True(stored.CancelRequested);
        Assert.Equal(StepState.Canceled, stored.InitState);
        Assert.Equal(ComposeState.Finalizing, stored.State);
        Assert.All(stored.Images, i => Assert.Equal(JobErrorCodes.Canceled, i.Error?.Id));
        Assert.Equal(ClaimOutcome.AlreadyFinished, (await ClaimAsync(StepRef.Init(id), Scheduler, T0.AddSeconds(2))).Outcome);
        Assert.Equal(ClaimOutcome.ClaimedCancelRequested, (await ClaimAsync(StepRef.Finalize(id), Scheduler, T0.AddSeconds(2))).Outcome);
    }

    [Fact]
    public async Task RequestCancel_CancelsPendingImagesAndLeavesRunningOnesToEndThemselves()
    {
        var id = await CreateReservedAsync(images: 3);
        await BuildAsync(id, 0);
        await ClaimAsync(StepRef.Image(id, 1), Builder, T0.AddMinutes(2));

        var cancel = await Store.RequestCancelAsync(id, T0.AddMinutes(3), CancellationToken.None);

        Assert.Equal(new CancelResult(CancelOutcome.Requested, false), cancel);
        var stored = await GetAsync(id);
        Assert.Equal([ImageState.Success, ImageState.Building, ImageState.Canceled], stored.Images.Select(i => i.State));
        Assert.Equal(JobErrorCodes.Canceled, stored.Images[2].Error?.Id);
        Assert.Equal(ComposeState.Running, stored.State);

        var renewal = await Store.RenewAsync(StepRef.Image(id, 1), Builder, T0.AddMinutes(3), Lease, null, null, CancellationToken.None);
        Assert.Equal(new LeaseRenewal(true, true), renewal);
        var end = await Store.CompleteImageAsync(StepRef.Image(id, 1), Builder, ImageState.Canceled, new JobError(JobErrorCodes.Canceled, "compose canceled"), null, T0.AddMinutes(4), CancellationToken.None);
        Assert.Equal(new FanInResult(true, true), end);
        Assert.Equal(ComposeState.Finalizing, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task RequestCancel_ClaimsFinalize_WhenOnlyPendingImagesWereLeft()
    {
        var id = await CreateReservedAsync(images: 2);
        await BuildAsync(id, 0);

        var cancel = await Store.RequestCancelAsync(id, T0.AddMinutes(3), CancellationToken.None);

        Assert.Equal(new CancelResult(CancelOutcome.Requested, true), cancel);
        Assert.Equal(ComposeState.Finalizing, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task RequestCancel_Repeated_ChangesNothingMore()
    {
        var id = await CreateAsync(images: 2);
        await Store.RequestCancelAsync(id, T0.AddSeconds(1), CancellationToken.None);

        var again = await Store.RequestCancelAsync(id, T0.AddSeconds(9), CancellationToken.None);

        Assert.Equal(new CancelResult(CancelOutcome.Requested, false), again);
        var stored = await GetAsync(id);
        Assert.Equal(T0.AddSeconds(1), stored.UpdatedAt);
        Assert.All(stored.Images, i => Assert.Equal(T0.AddSeconds(1), i.FinishedAt));
    }

    [Fact]
    public async Task RequestCancel_ReportsAFinalOrUnknownCompose()
    {
        var id = await CreateReservedAsync(images: 1);
        await BuildAsync(id, 0);
        await ClaimAsync(StepRef.Finalize(id), Scheduler, T0.AddMinutes(5));
        await Store.CompleteFinalizeAsync(id, Scheduler, ComposeState.Success, null, null, T0.AddMinutes(6), CancellationToken.None);

        Assert.Equal(new CancelResult(CancelOutcome.AlreadyFinal, false), await Store.RequestCancelAsync(id, T0.AddMinutes(7), CancellationToken.None));
        Assert.Equal(new CancelResult(CancelOutcome.NotFound, false), await Store.RequestCancelAsync(Guid.NewGuid(), T0.AddMinutes(7), CancellationToken.None));
        Assert.False((await GetAsync(id)).CancelRequested);
    }

    /// <summary>Image 0 succeeds, image 1 fails, finalize records the failure.</summary>
    private async Task<Guid> CreateFailedAsync()
    {
        var id = await CreateReservedAsync(images: 2);
        await BuildAsync(id, 0);
        await ClaimAsync(StepRef.Image(id, 1), Builder, T0.AddMinutes(1));
        await Store.RenewAsync(StepRef.Image(id, 1), Builder, T0.AddMinutes(2), Lease, ImageState.Building, new ImageProgress(2, 5), CancellationToken.None);
        await Store.CompleteImageAsync(StepRef.Image(id, 1), Builder, ImageState.Failure, new JobError(JobErrorCodes.BuildJob, "osbuild failed"), Outcome(1), T0.AddMinutes(3), CancellationToken.None);
        await ClaimAsync(StepRef.Finalize(id), Scheduler, T0.AddMinutes(4));
        await Store.CompleteFinalizeAsync(id, Scheduler, ComposeState.Failure, new JobError(JobErrorCodes.KojiFailedDependency, "import skipped"), null, T0.AddMinutes(5), CancellationToken.None);
        return id;
    }

    [Fact]
    public async Task RetryFailed_RestartsOnlyTheFailedImages_InANewGeneration()
    {
        var id = await CreateFailedAsync();

        var retry = await Store.RetryFailedAsync(id, T0.AddHours(1), CancellationToken.None);

        Assert.Equal(new RetryResult(RetryOutcome.Restarted, 1), retry);
        var stored = await GetAsync(id);
        Assert.Equal(1, stored.Generation);
        Assert.Equal(ComposeState.Pending, stored.State);
        Assert.Equal(StepState.Pending, stored.InitState);
        Assert.Null(stored.Reservation);
        Assert.Equal(StepState.Pending, stored.FinalizeState);
        Assert.Null(stored.FinalizeError);
        Assert.Null(stored.FinishedAt);
        Assert.False(stored.CancelRequested);
        Assert.Equal(ImageState.Success, stored.Images[0].State);
        Assert.Equal("koji", Assert.Single(stored.Images[0].Uploads).Type);
        Assert.Equal(1, stored.Images[0].Attempts);
        var reset = stored.Images[1];
        Assert.Equal(ImageState.Pending, reset.State);
        Assert.Null(reset.Error);
        Assert.Null(reset.Progress);
        Assert.Equal(0, reset.Attempts);
        Assert.Equal(0, reset.LostWorkers);
        Assert.Equal(ClaimOutcome.NotReady, (await ClaimAsync(StepRef.Finalize(id), Scheduler, T0.AddHours(1))).Outcome);
    }

    [Fact]
    public async Task RetryFailed_ClaimsFinalizeAgain_ForTheNewGeneration()
    {
        var id = await CreateFailedAsync();
        await Store.RetryFailedAsync(id, T0.AddHours(1), CancellationToken.None);
        var later = T0.AddHours(1);
        Assert.Equal(new StepClaim(ClaimOutcome.Claimed, 1), await ClaimAsync(StepRef.Init(id), Scheduler, later));
        var init = await Store.CompleteInitAsync(id, Scheduler, new Reservation(5151, Token), null, false, later.AddSeconds(1), CancellationToken.None);
        Assert.Equal([1], init.ImagesToStart);

        var image = await BuildAsync(id, 1, at: later.AddMinutes(1));
        var repeat = await Store.CompleteImageAsync(StepRef.Image(id, 1), Builder, ImageState.Success, null, null, later.AddMinutes(2), CancellationToken.None);

        Assert.Equal(new FanInResult(true, true), image);
        Assert.Equal(new FanInResult(false, false), repeat);
        Assert.Equal(ClaimOutcome.Claimed, (await ClaimAsync(StepRef.Finalize(id), Scheduler, later.AddMinutes(3))).Outcome);
        await Store.CompleteFinalizeAsync(id, Scheduler, ComposeState.Success, null, "{}", later.AddMinutes(4), CancellationToken.None);
        var stored = await GetAsync(id);
        Assert.Equal(ComposeState.Success, stored.State);
        Assert.Equal(5151, stored.Reservation?.BuildId);
        Assert.All(stored.Images, i => Assert.Equal(ImageState.Success, i.State));
    }

    [Fact]
    public async Task RetryFailed_ClaimsFinalizeWithInit_WhenOnlyTheImportHadFailed()
    {
        var id = await CreateReservedAsync(images: 1);
        await BuildAsync(id, 0);
        await ClaimAsync(StepRef.Finalize(id), Scheduler, T0.AddMinutes(5));
        await Store.CompleteFinalizeAsync(id, Scheduler, ComposeState.Failure, new JobError(JobErrorCodes.KojiFinalize, "CGImport failed"), null, T0.AddMinutes(6), CancellationToken.None);

        Assert.Equal(new RetryResult(RetryOutcome.Restarted, 0), await Store.RetryFailedAsync(id, T0.AddHours(1), CancellationToken.None));
        await ClaimAsync(StepRef.Init(id), Scheduler, T0.AddHours(1));
        var init = await Store.CompleteInitAsync(id, Scheduler, new Reservation(6161, Token), null, false, T0.AddHours(1).AddSeconds(1), CancellationToken.None);

        Assert.Empty(init.ImagesToStart);
        Assert.True(init.FinalizeClaimed);
        Assert.Equal(ComposeState.Finalizing, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task RetryFailed_RestartsACanceledCompose()
    {
        var id = await CreateAsync(images: 2);
        await Store.RequestCancelAsync(id, T0.AddSeconds(1), CancellationToken.None);
        await ClaimAsync(StepRef.Finalize(id), Scheduler, T0.AddSeconds(2));
        await Store.CompleteFinalizeAsync(id, Scheduler, ComposeState.Canceled, null, null, T0.AddSeconds(3), CancellationToken.None);

        var retry = await Store.RetryFailedAsync(id, T0.AddMinutes(1), CancellationToken.None);

        Assert.Equal(new RetryResult(RetryOutcome.Restarted, 2), retry);
        var stored = await GetAsync(id);
        Assert.False(stored.CancelRequested);
        Assert.All(stored.Images, i => Assert.Equal(ImageState.Pending, i.State));
        Assert.Equal(ClaimOutcome.Claimed, (await ClaimAsync(StepRef.Init(id), Scheduler, T0.AddMinutes(1))).Outcome);
    }

    [Fact]
    public async Task RetryFailed_RefusesRunningOrSuccessfulComposes()
    {
        var running = await CreateReservedAsync(images: 1);
        var succeeded = await CreateReservedAsync(images: 1);
        await BuildAsync(succeeded, 0);
        await ClaimAsync(StepRef.Finalize(succeeded), Scheduler, T0.AddMinutes(5));
        await Store.CompleteFinalizeAsync(succeeded, Scheduler, ComposeState.Success, null, null, T0.AddMinutes(6), CancellationToken.None);

        Assert.Equal(RetryOutcome.NotRetryable, (await Store.RetryFailedAsync(running, T0.AddHours(1), CancellationToken.None)).Outcome);
        Assert.Equal(RetryOutcome.NotRetryable, (await Store.RetryFailedAsync(succeeded, T0.AddHours(1), CancellationToken.None)).Outcome);
        Assert.Equal(RetryOutcome.NotFound, (await Store.RetryFailedAsync(Guid.NewGuid(), T0.AddHours(1), CancellationToken.None)).Outcome);
        Assert.Equal(0, (await GetAsync(succeeded)).Generation);
        Assert.Equal(ComposeState.Running, (await GetAsync(running)).State);
    }
}
