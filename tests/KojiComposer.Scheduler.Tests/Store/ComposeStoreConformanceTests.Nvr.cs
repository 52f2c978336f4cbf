using KojiComposer.Contracts.Errors;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Store;

namespace KojiComposer.Scheduler.Tests.Store;

/// <summary>What the Koji content-generator steps need: the NVR lookup, the generated-release flag and a
/// reservation made under another release.</summary>
public abstract partial class ComposeStoreConformanceTests
{
    [Fact]
    public async Task FindByNvr_ReturnsEveryComposeOfTheNvr_InAnyState_OldestFirst()
    {
        var second = await CreateAsync(kojiTask: 11, at: T0.AddMinutes(2));
        var first = await CreateAsync(kojiTask: 12, at: T0);
        var third = await CreateAsync(kojiTask: 13, at: T0.AddMinutes(5));
        Assert.True((await Store.RequestCancelAsync(first, T0.AddMinutes(1), CancellationToken.None)).FinalizeClaimed);
        await ClaimAsync(StepRef.Finalize(first), Scheduler, T0.AddMinutes(1));
        Assert.True(await Store.CompleteFinalizeAsync(first, Scheduler, ComposeState.Canceled, JobError.Canceled(), null, T0.AddMinutes(2), CancellationToken.None));
        await Store.CreateAsync(Sample(kojiTask: 14, release: "2"), T0, CancellationToken.None);
        await Store.CreateAsync(Sample(kojiTask: 15, name: "Fedora-IoT"), T0, CancellationToken.None);
        await Store.CreateAsync(Sample(kojiTask: 16, name: "fedora-cloud"), T0, CancellationToken.None);

        var found = await Store.FindByNvrAsync("Fedora-Cloud", "42", "1", CancellationToken.None);

        Assert.Equal([first, second, third], found.Select(c => c.Id));
        Assert.Equal([ComposeState.Canceled, ComposeState.Pending, ComposeState.Pending], found.Select(c => c.State));
        Assert.All(found, c => Assert.Equal(["x86_64", "aarch64"], c.Images.Select(i => i.Arch)));
        Assert.Empty(await Store.FindByNvrAsync("Fedora-Cloud", "42", "3", CancellationToken.None));
    }

    [Fact]
    public async Task FindByNvr_FindsEveryGeneration_OfARetriedCompose()
    {
        var id = await CreateAsync(images: 1);
        await ClaimAsync(StepRef.Init(id), Scheduler, T0);
        await Store.CompleteInitAsync(id, Scheduler, null, new JobError(JobErrorCodes.KojiInit, "CGInitBuild failed"), false, T0.AddSeconds(1), CancellationToken.None);
        await ClaimAsync(StepRef.Finalize(id), Scheduler, T0.AddSeconds(2));
        await Store.CompleteFinalizeAsync(id, Scheduler, ComposeState.Failure, null, null, T0.AddSeconds(3), CancellationToken.None);
        Assert.Equal(RetryOutcome.Restarted, (await Store.RetryFailedAsync(id, T0.AddMinutes(1), CancellationToken.None)).Outcome);

        var found = Assert.Single(await Store.FindByNvrAsync("Fedora-Cloud", "42", "1", CancellationToken.None));

        Assert.Equal(id, found.Id);
        Assert.Equal(1, found.Generation);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Create_StoresWhetherTheReleaseWasGenerated(bool generated)
    {
        var (compose, _) = await Store.CreateAsync(Sample(kojiTask: 31) with { ReleaseGenerated = generated }, T0, CancellationToken.None);

        Assert.Equal(generated, compose.ReleaseGenerated);
        Assert.Equal(generated, (await GetAsync(compose.Id)).ReleaseGenerated);
        Assert.Equal(generated, (await Store.FindByKojiTaskAsync(31, CancellationToken.None))!.ReleaseGenerated);
        Assert.Equal(generated, Assert.Single((await Store.ListAsync(new ComposeQuery(), CancellationToken.None)).Items).ReleaseGenerated);
        Assert.Equal(generated, (await GetAsync(compose.Id, await OpenStoreAsync())).ReleaseGenerated);
    }

    [Fact]
    public async Task CompleteInit_RenamesTheCompose_WhenTheBuildWasReservedUnderAnotherRelease()
    {
        var (compose, _) = await Store.CreateAsync(Sample(kojiTask: 41) with { ReleaseGenerated = true }, T0, CancellationToken.None);
        await ClaimAsync(StepRef.Init(compose.Id), Scheduler, T0);

        var init = await Store.CompleteInitAsync(compose.Id, Scheduler, new Reservation(4242, Token) { Release = "2" }, null, false, T0.AddSeconds(1), CancellationToken.None);

        Assert.True(init.Accepted);
        Assert.Equal([0, 1], init.ImagesToStart);
        var stored = await GetAsync(compose.Id, await OpenStoreAsync());
        Assert.Equal("2", stored.Release);
        Assert.Equal("Fedora-Cloud-42-2", stored.Nvr);
        Assert.True(stored.ReleaseGenerated);
        Assert.Equal(ComposeState.Running, stored.State);
        Assert.Equal(4242, stored.Reservation!.BuildId);
        Assert.Equal(Token, stored.Reservation.Token);
        Assert.DoesNotContain(Token, stored.ToString(), StringComparison.Ordinal);
        Assert.Equal([compose.Id], (await Store.FindByNvrAsync("Fedora-Cloud", "42", "2", CancellationToken.None)).Select(c => c.Id));
        Assert.Empty(await Store.FindByNvrAsync("Fedora-Cloud", "42", "1", CancellationToken.None));
        Assert.Equal([compose.Id], (await Store.ListAsync(new ComposeQuery { Nvr = "cloud-42-2" }, CancellationToken.None)).Items.Select(c => c.Id));
        Assert.Equal(0, (await Store.ListAsync(new ComposeQuery { Nvr = "cloud-42-1" }, CancellationToken.None)).Total);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("1")]
    public async Task CompleteInit_KeepsTheRelease_WhenTheReservationNamesNoOtherRelease(string? release)
    {
        var id = await CreateAsync();
        await ClaimAsync(StepRef.Init(id), Scheduler, T0);

        await Store.CompleteInitAsync(id, Scheduler, new Reservation(4242, Token) { Release = release }, null, false, T0.AddSeconds(1), CancellationToken.None);

        var stored = await GetAsync(id);
        Assert.Equal("Fedora-Cloud-42-1", stored.Nvr);
        Assert.Equal(4242, stored.Reservation!.BuildId);
        Assert.Single(await Store.FindByNvrAsync("Fedora-Cloud", "42", "1", CancellationToken.None));
    }

    [Fact]
    public async Task CompleteInit_DoesNotRenameTheCompose_ForACallerWithoutTheLease()
    {
        var id = await CreateAsync();
        await ClaimAsync(StepRef.Init(id), Scheduler, T0);

        var init = await Store.CompleteInitAsync(id, "intruder", new Reservation(1, "x") { Release = "9" }, null, false, T0.AddSeconds(1), CancellationToken.None);

        Assert.False(init.Accepted);
        var stored = await GetAsync(id);
        Assert.Equal("Fedora-Cloud-42-1", stored.Nvr);
        Assert.Null(stored.Reservation);
    }

    [Fact]
    public async Task CompleteInit_RefusesAnEmptyReservationRelease()
    {
        var id = await CreateAsync();
        await ClaimAsync(StepRef.Init(id), Scheduler, T0);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Store.CompleteInitAsync(id, Scheduler, new Reservation(4242, Token) { Release = " " }, null, false, T0.AddSeconds(1), CancellationToken.None));

        Assert.Contains("release", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, error.ToString(), StringComparison.Ordinal);
        Assert.Equal(StepState.Running, (await GetAsync(id)).InitState);
    }
}
