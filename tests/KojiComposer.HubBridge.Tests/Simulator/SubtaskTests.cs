using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubBridge.Tests.Simulator;

/// <summary>The tagBuild subtask (koji-wire.md §9.4, §9.6): created, assigned to us, run, waited for.</summary>
public sealed class SubtaskTests
{
    private static async Task<(long Parent, long Sub, SimBuild Build)> StartTagBuildAsync(SimulatorSite site, KojiSession host, KojiSession releng)
    {
        var parent = await site.OpenTaskAsync(host, releng);
        SimBuild build = null!;
        site.Seed(s => build = s.AddBuild("Fedora-Cloud", "42", "1", "releng"));
        var sub = await host.SubtaskAsync("tagBuild", [site.DestTag.Id, build.Id, false, null, true], parent, "tag");
        await host.TaskSetWaitAsync(parent, [sub]);
        return (parent, sub, build);
    }

    [Fact]
    public async Task Subtask_InheritsChannelAndOwner_WithPriorityOneHigher_AndTheSameLabelGivesTheSameTask()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        await using var releng = await site.LoginUserAsync();
        var (parent, sub, build) = await StartTagBuildAsync(site, host, releng);

        var again = await host.SubtaskAsync("tagBuild", [site.DestTag.Id, 1, false, null, true], parent, "tag");

        Assert.Equal(sub, again);
        var child = await releng.GetTaskInfoAsync(sub, request: true);
        Assert.Equal((KojiTaskState.Free, "tagBuild", 7L, 19, "noarch"), (child!.State, child.Method, child.ChannelId, child.Priority, child.Arch));
        Assert.Equal((parent, "tag", site.Simulated.Releng.Id), (child.Parent, child.Label, child.Owner));
        Assert.Equal([site.DestTag.Id, build.Id, false, null, true], child.Request!.Select(v => v is int i ? (long)i : v));
        Assert.True(site.TaskRow(parent).Waiting);
        Assert.True(site.TaskRow(sub).Awaited);
    }

    [Fact]
    public async Task Subtask_IsAssignedToUs_OnTheNextSchedulerRun_AtMostOncePerRunInterval()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        await using var releng = await site.LoginUserAsync();
        var (parent, sub, _) = await StartTagBuildAsync(site, host, releng);

        var tooSoon = await host.GetAssignedTasksAsync();
        site.Clock.Advance(TimeSpan.FromSeconds(61));
        await SimulatorSite.CheckInAsync(host);
        var assigned = Assert.Single(await host.GetAssignedTasksAsync());

        Assert.Empty(tooSoon);
        Assert.Equal((sub, "tagBuild", 19, 7L), (assigned.Id, assigned.Method, assigned.Priority, assigned.ChannelId));
        var waiting = Assert.Single(await host.GetHostTasksAsync());
        Assert.Equal((parent, true, false), (waiting.Id, waiting.Waiting, waiting.Alert));
    }

    [Fact]
    public async Task TagBuild_RunsAsTheTaskOwner_AndNeedsThePackageInTheTagsPackageList()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        await using var releng = await site.LoginUserAsync();
        var (parent, sub, build) = await StartTagBuildAsync(site, host, releng);
        site.Clock.Advance(TimeSpan.FromSeconds(61));
        await SimulatorSite.CheckInAsync(host);
        Assert.Single(await host.GetAssignedTasksAsync());
        Assert.NotNull(await host.OpenTaskAsync(sub));

        var missing = await Assert.ThrowsAsync<KojiTagErrorFault>(() => host.HostTagBuildAsync(sub, site.DestTag.Id, build.Id));
        var untagged = site.Read(s => s.TagHistory.Count);
        site.Seed(s => s.AddPackage("f42", "Fedora-Cloud", "releng"));
        await host.HostTagBuildAsync(sub, site.DestTag.Id, build.Id);
        await host.TagNotificationAsync(true, site.DestTag.Id, null, build.Id, site.Simulated.Releng.Id);
        await host.CloseTaskAsync(sub, null);

        Assert.Equal($"Package Fedora-Cloud not in list for {site.DestTag.Id}", missing.FaultString);
        Assert.Equal(0, untagged);
        var listing = Assert.Single(site.Read(s => s.TagHistory.ToList()));
        Assert.Equal((site.DestTag.Id, build.Id, site.Simulated.Releng.Id, true), (listing.TagId, listing.BuildId, listing.CreatorId, listing.Active));
        Assert.True(Assert.Single(await host.GetHostTasksAsync()).Alert);
        var (finished, unfinished) = await host.TaskWaitAsync(parent);
        Assert.Equal([sub], finished);
        Assert.Empty(unfinished);
        Assert.Equal([(sub, (object?)null)], await host.TaskWaitResultsAsync(parent, [sub]));
        Assert.False(site.TaskRow(parent).Waiting);
        var again = await Assert.ThrowsAsync<KojiTagErrorFault>(() => host.HostTagBuildAsync(parent, site.DestTag.Id, build.Id));
        Assert.Equal("build Fedora-Cloud-42-1 already tagged (f42)", again.FaultString);
    }

    [Fact]
    public async Task TaskWaitResults_RaisesTheFailedSubtasksFault_UnlessTheSubtaskMayFail()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        await using var releng = await site.LoginUserAsync();
        var (parent, sub, _) = await StartTagBuildAsync(site, host, releng);
        site.Clock.Advance(TimeSpan.FromSeconds(61));
        await SimulatorSite.CheckInAsync(host);
        Assert.Single(await host.GetAssignedTasksAsync());
        await host.OpenTaskAsync(sub);
        await host.FailTaskAsync(sub, 1003, "Package Fedora-Cloud not in list for 2");

        var (finished, unfinished) = await host.TaskWaitAsync(parent);
        var fault = await Assert.ThrowsAsync<KojiTagErrorFault>(() => host.TaskWaitResultsAsync(parent, [sub]));
        var stillWaiting = site.TaskRow(parent).Waiting;
        var tolerated = await host.CallAsync(KojiCall.Write("host.taskWaitResults", parent, new object?[] { sub }, new object?[] { sub }));

        Assert.Equal([sub], finished);
        Assert.Empty(unfinished);
        Assert.Equal("Package Fedora-Cloud not in list for 2", fault.FaultString);
        Assert.True(stillWaiting);
        var entry = (object?[])Assert.Single((object?[])tolerated!)!;
        var failure = (HubBridge.XmlRpc.XmlRpcStruct)entry[1]!;
        Assert.Equal((1003, "Package Fedora-Cloud not in list for 2"), (failure["faultCode"], failure["faultString"]));
        Assert.False(site.TaskRow(parent).Waiting);
    }
}
