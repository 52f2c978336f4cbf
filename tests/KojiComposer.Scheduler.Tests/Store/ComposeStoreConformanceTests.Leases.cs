using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Store;

namespace KojiComposer.Scheduler.Tests.Store;

/// <summary>Claims, renewals, releases and the owner check on every write.</summary>
public abstract partial class ComposeStoreConformanceTests
{
    [Fact]
    public async Task Claim_TakesPendingInit_AsFirstAttempt()
    {
        var id = await CreateAsync();

        var claim = await ClaimAsync(StepRef.Init(id), Scheduler, T0.AddSeconds(5));

        Assert.Equal(new StepClaim(ClaimOutcome.Claimed, 1), claim);
        Assert.Equal(StepState.Running, (await GetAsync(id)).InitState);
    }

    [Fact]
    public async Task Claim_MarksImageBuilding_WithWorkerAndStartTime()
    {
        var id = await CreateReservedAsync();

        var claim = await ClaimAsync(StepRef.Image(id, 1), Builder, T0.AddMinutes(1));

        Assert.Equal(new StepClaim(ClaimOutcome.Claimed, 1), claim);
        var image = (await GetAsync(id)).Images[1];
        Assert.Equal(ImageState.Building, image.State);
        Assert.Equal(Builder, image.Worker);
        Assert.Equal(1, image.Attempts);
        Assert.Equal(T0.AddMinutes(1), image.StartedAt);
        Assert.Equal(ImageState.Pending, (await GetAsync(id)).Images[0].State);
    }

    [Fact]
    public async Task Claim_ReturnsHeldByOther_WhileAnotherOwnersLeaseIsLive()
    {
        var id = await CreateReservedAsync();
        await ClaimAsync(StepRef.Image(id, 0), Builder, T0.AddMinutes(1));

        var claim = await ClaimAsync(StepRef.Image(id, 0), OtherBuilder, T0.AddMinutes(1) + Lease - TimeSpan.FromSeconds(1));

        Assert.Equal(ClaimOutcome.HeldByOther, claim.Outcome);
        Assert.False(claim.HoldsLease);
        Assert.Equal(Builder, (await GetAsync(id)).Images[0].Worker);
    }

    [Fact]
    public async Task Claim_GivesTheLeaseBack_WhenTheSameOwnerClaimsAgain()
    {
        var id = await CreateReservedAsync();
        await ClaimAsync(StepRef.Image(id, 0), Builder, T0.AddMinutes(1));

        var again = await ClaimAsync(StepRef.Image(id, 0), Builder, T0.AddMinutes(2));

        Assert.Equal(new StepClaim(ClaimOutcome.Claimed, 1), again);
        // The lease now runs from the second claim: another owner is still refused just before it ends.
        Assert.Equal(ClaimOutcome.HeldByOther, (await ClaimAsync(StepRef.Image(id, 0), OtherBuilder, T0.AddMinutes(2) + Lease - TimeSpan.FromSeconds(1))).Outcome);
    }

    [Fact]
    public async Task Claim_ReturnsNotReady_WhenPrerequisitesAreMissingOrTheStepDoesNotExist()
    {
        var id = await CreateAsync();

        Assert.Equal(ClaimOutcome.NotReady, (await ClaimAsync(StepRef.Image(id, 0), Builder, T0)).Outcome);
        Assert.Equal(ClaimOutcome.NotReady, (await ClaimAsync(StepRef.Finalize(id), Scheduler, T0)).Outcome);
        Assert.Equal(ClaimOutcome.NotReady, (await ClaimAsync(StepRef.Init(Guid.NewGuid()), Scheduler, T0)).Outcome);
        var reserved = await CreateReservedAsync();
        Assert.Equal(ClaimOutcome.NotReady, (await ClaimAsync(StepRef.Image(reserved, 7), Builder, T0)).Outcome);
        Assert.Equal(ClaimOutcome.NotReady, (await ClaimAsync(StepRef.Finalize(reserved), Scheduler, T0)).Outcome);

        Assert.Equal(ImageState.Pending, (await GetAsync(id)).Images[0].State);
        Assert.Equal(StepState.Pending, (await GetAsync(reserved)).FinalizeState);
    }

    [Fact]
    public async Task Claim_ReturnsAlreadyFinished_WhenTheStepEnded()
    {
        var id = await CreateReservedAsync();
        await BuildAsync(id, 0);

        Assert.Equal(ClaimOutcome.AlreadyFinished, (await ClaimAsync(StepRef.Init(id), Scheduler, T0.AddMinutes(5))).Outcome);
        Assert.Equal(ClaimOutcome.AlreadyFinished, (await ClaimAsync(StepRef.Image(id, 0), OtherBuilder, T0.AddMinutes(5))).Outcome);
        Assert.Equal(ImageState.Success, (await GetAsync(id)).Images[0].State);
    }

    [Fact]
    public async Task Claim_TakesOverAnExpiredLease_AndCountsTheLostWorker()
    {
        var id = await CreateReservedAsync();
        var image = StepRef.Image(id, 0);
        await ClaimAsync(image, Builder, T0.AddMinutes(1));
        var expired = T0.AddMinutes(1) + Lease + TimeSpan.FromSeconds(1);

        var claim = await ClaimAsync(image, OtherBuilder, expired);

        Assert.Equal(new StepClaim(ClaimOutcome.Claimed, 2), claim);
        var stored = (await GetAsync(id)).Images[0];
        Assert.Equal(OtherBuilder, stored.Worker);
        Assert.Equal(2, stored.Attempts);
        Assert.Equal(1, stored.LostWorkers);
        Assert.Equal(expired, stored.StartedAt);

        // The dead worker's lease is gone: it can neither renew nor end the image.
        Assert.False((await Store.RenewAsync(image, Builder, expired.AddSeconds(1), Lease, ImageState.Uploading, null, CancellationToken.None)).Held);
        Assert.False((await Store.CompleteImageAsync(image, Builder, ImageState.Success, null, Outcome(0), expired.AddSeconds(2), CancellationToken.None)).Accepted);
        Assert.Equal(ImageState.Building, (await GetAsync(id)).Images[0].State);
    }

    [Fact]
    public async Task Claim_ReturnsLostWorkerLimit_OnceWorkersDiedMoreThanAllowed()
    {
        var id = await CreateReservedAsync();
        var image = StepRef.Image(id, 0);
        var now = T0.AddMinutes(1);
        Assert.Equal(ClaimOutcome.Claimed, (await ClaimAsync(image, "w0", now)).Outcome);
        var outcomes = new List<ClaimOutcome>();
        for (var i = 1; i <= MaxLostWorkers + 1; i++)
        {
            now += Lease + TimeSpan.FromSeconds(1);
            outcomes.Add((await ClaimAsync(image, $"w{i}", now)).Outcome);
        }

        Assert.Equal([ClaimOutcome.Claimed, ClaimOutcome.Claimed, ClaimOutcome.ClaimedLostWorkerLimit], outcomes);
        var stored = (await GetAsync(id)).Images[0];
        Assert.Equal(MaxLostWorkers + 1, stored.LostWorkers);
        Assert.Equal(MaxLostWorkers + 2, stored.Attempts);
    }

    [Fact]
    public async Task Claim_ReturnsCancelRequested_WhenTheComposeIsBeingCanceled()
    {
        var id = await CreateReservedAsync();
        await ClaimAsync(StepRef.Image(id, 0), Builder, T0.AddMinutes(1));
        await Store.RequestCancelAsync(id, T0.AddMinutes(2), CancellationToken.None);
        var afterExpiry = T0.AddMinutes(1) + Lease + TimeSpan.FromSeconds(1);

        var claim = await ClaimAsync(StepRef.Image(id, 0), OtherBuilder, afterExpiry);

        Assert.Equal(ClaimOutcome.ClaimedCancelRequested, claim.Outcome);
        Assert.True(claim.HoldsLease);
    }

    [Fact]
    public async Task Renew_StoresPhaseAndProgress_ShownByGet()
    {
        var id = await CreateReservedAsync();
        var image = StepRef.Image(id, 0);
        await ClaimAsync(image, Builder, T0.AddMinutes(1));

        var renewal = await Store.RenewAsync(image, Builder, T0.AddMinutes(2), Lease, ImageState.Uploading, new ImageProgress(5, 6, "pipeline: image"), CancellationToken.None);

        Assert.Equal(new LeaseRenewal(true, false), renewal);
        var stored = (await GetAsync(id)).Images[0];
        Assert.Equal(ImageState.Uploading, stored.State);
        Assert.Equal(new ImageProgress(5, 6, "pipeline: image"), stored.Progress);
        Assert.Equal(T0.AddMinutes(2), (await GetAsync(id)).UpdatedAt);
    }

    [Fact]
    public async Task Renew_ExtendsTheLease()
    {
        var id = await CreateReservedAsync();
        var image = StepRef.Image(id, 0);
        await ClaimAsync(image, Builder, T0.AddMinutes(1));
        await Store.RenewAsync(image, Builder, T0.AddMinutes(2), Lease, null, null, CancellationToken.None);

        // Past the first lease's end, but inside the renewed one.
        var claim = await ClaimAsync(image, OtherBuilder, T0.AddMinutes(1) + Lease + TimeSpan.FromSeconds(30));

        Assert.Equal(ClaimOutcome.HeldByOther, claim.Outcome);
        Assert.Equal(ImageState.Building, (await GetAsync(id)).Images[0].State);
    }

    [Fact]
    public async Task Renew_ReturnsNotHeld_AndWritesNothing_AfterTheLeaseWasLost()
    {
        var id = await CreateReservedAsync();
        var image = StepRef.Image(id, 0);
        await ClaimAsync(image, Builder, T0.AddMinutes(1));
        await Store.RenewAsync(image, Builder, T0.AddMinutes(2), Lease, ImageState.Building, new ImageProgress(1, 4), CancellationToken.None);
        await ClaimAsync(image, OtherBuilder, T0.AddMinutes(10));

        var renewal = await Store.RenewAsync(image, Builder, T0.AddMinutes(11), Lease, ImageState.Uploading, new ImageProgress(4, 4), CancellationToken.None);

        Assert.False(renewal.Held);
        var stored = (await GetAsync(id)).Images[0];
        Assert.Equal(ImageState.Building, stored.State);
        Assert.Equal(new ImageProgress(1, 4), stored.Progress);
    }

    [Fact]
    public async Task Renew_ReportsTheCancelRequest()
    {
        var id = await CreateAsync();
        await ClaimAsync(StepRef.Init(id), Scheduler, T0);
        await Store.RequestCancelAsync(id, T0.AddSeconds(5), CancellationToken.None);

        var renewal = await Store.RenewAsync(StepRef.Init(id), Scheduler, T0.AddSeconds(10), Lease, null, null, CancellationToken.None);

        Assert.Equal(new LeaseRenewal(true, true), renewal);
    }

    [Fact]
    public async Task Release_HandsTheStepBack_KeepingAttemptsAndLostWorkers()
    {
        var id = await CreateReservedAsync();
        var image = StepRef.Image(id, 0);
        await ClaimAsync(image, "w0", T0.AddMinutes(1));
        await ClaimAsync(image, Builder, T0.AddMinutes(10));

        Assert.False(await Store.ReleaseAsync(image, "w0", T0.AddMinutes(11), CancellationToken.None));
        Assert.True(await Store.ReleaseAsync(image, Builder, T0.AddMinutes(11), CancellationToken.None));

        var stored = (await GetAsync(id)).Images[0];
        Assert.Equal(ImageState.Pending, stored.State);
        Assert.Null(stored.Worker);
        Assert.Equal(2, stored.Attempts);
        Assert.Equal(1, stored.LostWorkers);
        Assert.False(await Store.ReleaseAsync(image, Builder, T0.AddMinutes(12), CancellationToken.None));
        Assert.Equal(new StepClaim(ClaimOutcome.Claimed, 3), await ClaimAsync(image, OtherBuilder, T0.AddMinutes(12)));
    }

    [Fact]
    public async Task Writes_AreRefused_ForAnOwnerThatDoesNotHoldTheLease()
    {
        var id = await CreateAsync();
        await ClaimAsync(StepRef.Init(id), Scheduler, T0);

        var init = await Store.CompleteInitAsync(id, "intruder", new Reservation(1, "x"), null, false, T0.AddSeconds(1), CancellationToken.None);
        Assert.False(init.Accepted);
        Assert.Empty(init.ImagesToStart);
        Assert.False((await Store.RenewAsync(StepRef.Init(id), "intruder", T0.AddSeconds(1), Lease, null, null, CancellationToken.None)).Held);
        Assert.False(await Store.ReleaseAsync(StepRef.Init(id), "intruder", T0.AddSeconds(1), CancellationToken.None));
        Assert.Equal(StepState.Running, (await GetAsync(id)).InitState);
        Assert.Null((await GetAsync(id)).Reservation);

        await Store.CompleteInitAsync(id, Scheduler, new Reservation(4242, Token), null, false, T0.AddSeconds(2), CancellationToken.None);
        await ClaimAsync(StepRef.Image(id, 0), Builder, T0.AddMinutes(1));
        Assert.False((await Store.CompleteImageAsync(StepRef.Image(id, 0), "intruder", ImageState.Success, null, Outcome(0), T0.AddMinutes(2), CancellationToken.None)).Accepted);
        Assert.False((await Store.CompleteImageAsync(StepRef.Image(id, 1), Builder, ImageState.Success, null, Outcome(1), T0.AddMinutes(2), CancellationToken.None)).Accepted);
        Assert.Equal(ImageState.Building, (await GetAsync(id)).Images[0].State);
        Assert.Equal(ImageState.Pending, (await GetAsync(id)).Images[1].State);

        await Store.CompleteImageAsync(StepRef.Image(id, 0), Builder, ImageState.Success, null, Outcome(0), T0.AddMinutes(2), CancellationToken.None);
        var last = await BuildAsync(id, 1);
        Assert.True(last.FinalizeClaimed);
        await ClaimAsync(StepRef.Finalize(id), Scheduler, T0.AddMinutes(3));
        Assert.False(await Store.CompleteFinalizeAsync(id, "intruder", ComposeState.Success, null, "{}", T0.AddMinutes(4), CancellationToken.None));
        Assert.Equal(ComposeState.Finalizing, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task Renew_Throws_WhenThePhaseIsNotARunningOne()
    {
        var id = await CreateReservedAsync();
        await ClaimAsync(StepRef.Image(id, 0), Builder, T0.AddMinutes(1));

        await Assert.ThrowsAsync<ArgumentException>(() => Store.RenewAsync(StepRef.Image(id, 0), Builder, T0.AddMinutes(2), Lease, ImageState.Success, null, CancellationToken.None));
        Assert.Equal(ImageState.Building, (await GetAsync(id)).Images[0].State);
    }

    [Fact]
    public async Task CompleteImage_Throws_WhenTheStateIsNotFinal_OrAFailureHasNoError()
    {
        var id = await CreateReservedAsync();
        var image = StepRef.Image(id, 0);
        await ClaimAsync(image, Builder, T0.AddMinutes(1));

        await Assert.ThrowsAsync<ArgumentException>(() => Store.CompleteImageAsync(image, Builder, ImageState.Uploading, null, null, T0.AddMinutes(2), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.CompleteImageAsync(image, Builder, ImageState.Failure, null, null, T0.AddMinutes(2), CancellationToken.None));
        Assert.Equal(ImageState.Building, (await GetAsync(id)).Images[0].State);

        var failed = await Store.CompleteImageAsync(image, Builder, ImageState.Failure, null, ImageBuildOutcome.Failed(new JobError(JobErrorCodes.BuildJob, "osbuild failed")), T0.AddMinutes(2), CancellationToken.None);
        Assert.True(failed.Accepted);
        Assert.Equal(JobErrorCodes.BuildJob, (await GetAsync(id)).Images[0].Error?.Id);
    }
}
