using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubBridge.Tests.Simulator;

/// <summary>cancelTask and cancelBuild, and how each takes the other along (cg-import.md §2, §5; koji-wire.md §10).</summary>
public sealed class CancelTests
{
    private static XmlRpcStruct Nvr(string release) => new() { ["name"] = "Fedora-Cloud", ["version"] = "42", ["release"] = release };

    [Fact]
    public async Task CancelBuild_ReleasesAReservationWithoutItsToken_AndTheNvrIsRecycled()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await ContentGeneratorScenario.StartAsync(site);
        await cg.UploadImageAndLogAsync();

        var cancelled = await cg.Session.CancelBuildAsync(cg.Reservation.BuildId);
        var again = await cg.Session.CancelBuildAsync(cg.Reservation.BuildId);
        var refund = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => cg.Session.CGRefundBuildAsync("osbuild", cg.Reservation, 3));
        var recycled = await cg.Session.CGInitBuildAsync("osbuild", "Fedora-Cloud", "42", "1");

        Assert.True(cancelled);
        Assert.False(again);
        Assert.Equal($"Build ID {cg.Reservation.BuildId} is not in BUILDING state", refund.FaultString);
        Assert.Equal(cg.Reservation.BuildId, recycled.BuildId);
        Assert.True(await cg.Session.CancelBuildAsync("Fedora-Cloud-42-1"));
        var token = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => cg.ImportAsync(cg.Metadata()));
        Assert.Equal($"Token doesn't match build ID {cg.Reservation.BuildId}", token.FaultString);
        Assert.Equal(BuildState.Canceled, site.BuildRow(cg.Reservation.BuildId).State);
    }

    [Fact]
    public async Task CancelBuild_ByAnotherUser_IsNotAllowed_AndUnknownBuildsAreFalseOrStrictlyAFault()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await ContentGeneratorScenario.StartAsync(site);
        await using var releng = await site.LoginUserAsync();
        long complete = 0;
        site.Seed(s => complete = s.AddBuild("Fedora-Cloud", "42", "0", "osbuild-cg").Id);

        var notOwner = await Assert.ThrowsAsync<KojiActionNotAllowedFault>(() => releng.CancelBuildAsync(cg.Reservation.BuildId));
        var unknown = await cg.Session.CancelBuildAsync(Nvr("nosuch"));
        var strict = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => cg.Session.CallAsync(KojiCall.Write("cancelBuild", Nvr("nosuch"), KojiKeywordArguments.Of(("strict", true)))));

        Assert.Equal("Cannot cancel build, not owner", notOwner.FaultString);
        Assert.False(unknown);
        Assert.Equal("No such build: {'name': 'Fedora-Cloud', 'version': '42', 'release': 'nosuch'}", strict.FaultString);
        Assert.False(await cg.Session.CancelBuildAsync(complete));
        Assert.Equal(BuildState.Building, site.BuildRow(cg.Reservation.BuildId).State);
    }

    [Fact]
    public async Task CancelBuild_OfATaskLinkedReservation_CancelsTheTaskToo()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        await using var releng = await site.LoginUserAsync();
        var taskId = await site.OpenTaskAsync(host, releng);
        await using var cg = await ContentGeneratorScenario.StartAsync(site, taskId);

        Assert.True(await cg.Session.CancelBuildAsync(cg.Reservation.BuildId));

        Assert.Equal(TaskState.Canceled, site.TaskRow(taskId).State);
        Assert.Empty(await host.GetHostTasksAsync());
        Assert.Null(site.BuildRow(cg.Reservation.BuildId).ReservationToken);
    }

    [Fact]
    public async Task CancelTask_CancelsItsChildren_AndTheBuildingBuildLinkedToIt()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        await using var releng = await site.LoginUserAsync();
        var taskId = await site.OpenTaskAsync(host, releng);
        var child = await host.SubtaskAsync("tagBuild", [site.DestTag.Id, 1, false, null, true], taskId, "tag");
        await using var cg = await ContentGeneratorScenario.StartAsync(site, taskId);
        await cg.UploadImageAndLogAsync();

        await releng.CancelTaskAsync(taskId);
        var import = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => cg.ImportAsync(cg.Metadata(taskId)));
        var refund = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => cg.Session.CGRefundBuildAsync("osbuild", cg.Reservation, 4));

        Assert.Equal((TaskState.Canceled, TaskState.Canceled), (site.TaskRow(taskId).State, site.TaskRow(child).State));
        var build = site.BuildRow(cg.Reservation.BuildId);
        Assert.Equal(BuildState.Canceled, build.State);
        Assert.NotNull(build.CompletionTime);
        Assert.Equal($"Token doesn't match build ID {cg.Reservation.BuildId}", import.FaultString);
        Assert.Equal($"Build ID {cg.Reservation.BuildId} is not in BUILDING state", refund.FaultString);
        Assert.Empty(await host.GetHostTasksAsync());
    }

    [Fact]
    public async Task CancelTask_LeavesAReservationMadeWithoutTaskId_AndRefusesOtherUsers()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var releng = await site.LoginUserAsync();
        await using var cg = await ContentGeneratorScenario.StartAsync(site);
        var taskId = await SimulatorSite.SubmitAsync(releng);

        var stranger = await Assert.ThrowsAsync<KojiActionNotAllowedFault>(() => cg.Session.CancelTaskAsync(taskId));
        await releng.CancelTaskAsync(taskId);

        Assert.Equal("Cannot cancel task, not owner", stranger.FaultString);
        Assert.Equal(TaskState.Canceled, site.TaskRow(taskId).State);
        Assert.Equal(BuildState.Building, site.BuildRow(cg.Reservation.BuildId).State);
    }
}
