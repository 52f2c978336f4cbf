using KojiComposer.Contracts.Errors;
using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.Scheduler.Model;
using static KojiComposer.Scheduler.Tests.Koji.ContentGeneratorTestComposes;

namespace KojiComposer.Scheduler.Tests.Koji;

/// <summary>ReserveAsync against the simulated hub (cg-import.md §2, koji-wire.md §5).</summary>
public sealed class ContentGeneratorReserveTests
{
    [Fact]
    public async Task ReserveAsync_MakesABuildingBuildOwnedByTheCGUser_WhenTheNvrIsFree()
    {
        await using var hub = await ContentGeneratorTestHub.StartAsync();
        var compose = Pending(hub.Url, release: "7", taskId: 1234);

        var reservation = await hub.Steps.ReserveAsync(compose, CancellationToken.None);

        Assert.NotNull(reservation);
        Assert.Null(reservation.Release);
        Assert.Matches("^[0-9a-f]{64}$", reservation.Token);
        await using var session = await hub.LoginAsCgAsync();
        var build = await session.GetBuildAsync(reservation.BuildId);
        Assert.NotNull(build);
        Assert.Equal((KojiBuildState.Building, "Fedora-Cloud-42-7", "osbuild-cg", "osbuild"), (build.State, build.Nvr, build.OwnerName, build.CgName));
        // Reserved without the task (as composer does): the task is linked at import, and a task cancel is refunded by us.
        Assert.Null(build.TaskId);
        var init = Assert.Single(hub.Hub.Hub.CallsTo("CGInitBuild"));
        var data = Assert.IsType<HubBridge.XmlRpc.XmlRpcStruct>(init.Params[1]);
        Assert.Equal(["name", "release", "version"], data.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ReserveAsync_FailsWithKojiInitAndTheHubsText_WhenAUserGivenReleaseIsTaken()
    {
        await using var hub = await ContentGeneratorTestHub.StartAsync();
        var first = Pending(hub.Url);
        var (held, heldReservation) = await hub.ReserveAsync(first);
        hub.Composes.Add(held);
        var second = Pending(hub.Url);

        var error = await Assert.ThrowsAsync<ComposeStepException>(() => hub.Steps.ReserveAsync(second, CancellationToken.None));

        Assert.Equal(JobErrorCodes.KojiInit, error.Error.Id);
        Assert.False(error.IsTransient);
        Assert.Contains("Fedora-Cloud-42-1", error.Error.Reason, StringComparison.Ordinal);
        Assert.Contains("Build is already reserved", error.Error.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(heldReservation.Token, error.Error.Reason, StringComparison.Ordinal);
        // The other compose's reservation is untouched: no cancelBuild, its token still works.
        Assert.Empty(hub.Hub.Hub.CallsTo("cancelBuild"));
        await using var session = await hub.LoginAsCgAsync();
        await session.CGRefundBuildAsync("osbuild", new KojiReservation(heldReservation.BuildId, heldReservation.Token), KojiSession.RefundFailed);
    }

    [Fact]
    public async Task ReserveAsync_FailsWithKojiInit_WhenAUserGivenReleaseIsAlreadyImported()
    {
        await using var hub = await ContentGeneratorTestHub.StartAsync();
        var (done, _) = await hub.ReserveAsync(Pending(hub.Url));
        await ImportOneAsync(hub, done);

        var error = await Assert.ThrowsAsync<ComposeStepException>(() => hub.Steps.ReserveAsync(Pending(hub.Url), CancellationToken.None));

        Assert.Equal(JobErrorCodes.KojiInit, error.Error.Id);
        Assert.Contains("Build already exists (id=", error.Error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReserveAsync_ReservesTheHubsNextRelease_WhenAGeneratedReleaseIsTaken()
    {
        await using var hub = await ContentGeneratorTestHub.StartAsync();
        // Both composes were given release 1 by getNextRelease; the first reserved it.
        var (held, heldReservation) = await hub.ReserveAsync(Pending(hub.Url, releaseGenerated: true));
        hub.Composes.Add(held);
        var second = Pending(hub.Url, releaseGenerated: true);

        var reservation = await hub.Steps.ReserveAsync(second, CancellationToken.None);

        Assert.NotNull(reservation);
        Assert.Equal("2", reservation.Release);
        Assert.NotEqual(heldReservation.BuildId, reservation.BuildId);
        await using var session = await hub.LoginAsCgAsync();
        var build = await session.GetBuildAsync(reservation.BuildId);
        Assert.Equal(("Fedora-Cloud-42-2", KojiBuildState.Building), (build!.Nvr, build.State));
        Assert.Equal(KojiBuildState.Building, (await session.GetBuildAsync(heldReservation.BuildId))!.State);
        Assert.Single(hub.Hub.Hub.CallsTo("getNextRelease"));
    }

    [Fact]
    public async Task ReserveAsync_ReleasesAndReservesAgain_WhenACrashLostOurReservation()
    {
        await using var hub = await ContentGeneratorTestHub.StartAsync();
        var compose = Pending(hub.Url, releaseGenerated: true);
        // An earlier run of this compose's init reserved the NVR, then died before storing the token.
        KojiReservation lost;
        await using (var session = await hub.LoginAsCgAsync())
        {
            lost = await session.CGInitBuildAsync("osbuild", compose.Name, compose.Version, compose.Release);
        }

        // A compose of the same NVR that ended long ago (refunded) cannot be holding it.
        hub.Composes.Add(Pending(hub.Url) with { State = ComposeState.Failure, InitState = StepState.Success, Reservation = new Reservation(lost.BuildId, "old-token") });
        hub.Composes.Add(compose);

        var reservation = await hub.Steps.ReserveAsync(compose, CancellationToken.None);

        Assert.NotNull(reservation);
        Assert.Equal(lost.BuildId, reservation.BuildId);
        Assert.Null(reservation.Release); // the same release, not the next one
        Assert.NotEqual(lost.Token, reservation.Token);
        await using var check = await hub.LoginAsCgAsync();
        Assert.Equal(KojiBuildState.Building, (await check.GetBuildAsync(reservation.BuildId))!.State);
        var dead = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => check.CGRefundBuildAsync("osbuild", lost, KojiSession.RefundFailed));
        Assert.Equal($"Token doesn't match build ID {lost.BuildId}", dead.FaultString);
        Assert.Single(hub.Hub.Hub.CallsTo("cancelBuild"));
        Assert.Empty(hub.Hub.Hub.CallsTo("getNextRelease"));
    }

    [Fact]
    public async Task ReserveAsync_LeavesTheReservation_WhenAnotherComposeIsStillReserving()
    {
        await using var hub = await ContentGeneratorTestHub.StartAsync();
        KojiReservation theirs;
        await using (var session = await hub.LoginAsCgAsync())
        {
            theirs = await session.CGInitBuildAsync("osbuild", Name, ContentGeneratorTestComposes.Version, "1");
        }

        // Its init runs: the token is on its way to the store.
        hub.Composes.Add(Pending(hub.Url) with { InitState = StepState.Running });
        var ours = Pending(hub.Url);
        hub.Composes.Add(ours);

        var error = await Assert.ThrowsAsync<ComposeStepException>(() => hub.Steps.ReserveAsync(ours, CancellationToken.None));

        Assert.Equal(JobErrorCodes.KojiInit, error.Error.Id);
        Assert.Contains("Build is already reserved", error.Error.Reason, StringComparison.Ordinal);
        Assert.Empty(hub.Hub.Hub.CallsTo("cancelBuild"));
        await using var check = await hub.LoginAsCgAsync();
        await check.CGRefundBuildAsync("osbuild", theirs, KojiSession.RefundFailed); // its token still works
    }

    [Theory]
    [InlineData("4-2", "1", "version")]
    [InlineData("42", "1-1", "release")]
    public async Task ReserveAsync_FailsBeforeAnyHubCall_WhenVersionOrReleaseHasADash(string version, string release, string field)
    {
        await using var hub = await ContentGeneratorTestHub.StartAsync();
        var compose = Pending(hub.Url, release: release) with { Version = version };

        var error = await Assert.ThrowsAsync<ComposeStepException>(() => hub.Steps.ReserveAsync(compose, CancellationToken.None));

        Assert.Equal(JobErrorCodes.KojiInit, error.Error.Id);
        Assert.EndsWith($"The \"-\" character not allowed in {field} field", error.Error.Reason, StringComparison.Ordinal);
        Assert.Empty(hub.Hub.Hub.Calls);
    }

    [Fact]
    public async Task ReserveAsync_ReturnsNull_WhenTheComposeMakesNoKojiBuild()
    {
        await using var hub = await ContentGeneratorTestHub.StartAsync();

        Assert.Null(await hub.Steps.ReserveAsync(Pending(hub: null), CancellationToken.None));
        Assert.Empty(hub.Hub.Hub.Calls);
    }

    [Fact]
    public async Task ReserveAsync_FailsWithInvalidTargetConfig_WhenTheComposeNamesAnotherHub()
    {
        await using var hub = await ContentGeneratorTestHub.StartAsync();

        var error = await Assert.ThrowsAsync<ComposeStepException>(() =>
            hub.Steps.ReserveAsync(Pending("https://brew.example.test/kojihub"), CancellationToken.None));

        Assert.Equal(JobErrorCodes.InvalidTargetConfig, error.Error.Id);
        Assert.Contains("https://brew.example.test/kojihub", error.Error.Reason, StringComparison.Ordinal);
        Assert.Empty(hub.Hub.Hub.Calls);
    }

    private static async Task ImportOneAsync(ContentGeneratorTestHub hub, Compose reserved)
    {
        var directory = Contracts.Images.KojiUploadDirectory.For(reserved.Id);
        var files = await hub.UploadImageAsync(directory, reserved.Nvr);
        await hub.Steps.ImportAsync(Built(reserved, reserved.Reservation!, Result("x86_64", directory, files)), CancellationToken.None);
    }
}
