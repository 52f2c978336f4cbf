using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubBridge.Tests.Simulator;

/// <summary>host.getHost, getLoadData, getUser, getBuild and seeded tasks in the scheduler's bins.</summary>
public sealed class HostAndBuildInfoTests
{
    [Fact]
    public async Task GetHost_ShowsTheHostsCheckIn_AndGetLoadDataItsChannelsAndTasks()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        await using var releng = await site.LoginUserAsync();
        await host.UpdateHostAsync(1.5, ready: true, ["osbuildImage"], maxJobs: 3);
        var id = await SimulatorSite.SubmitAsync(releng);

        var info = (XmlRpcStruct)(await host.CallAsync(KojiCall.Read("host.getHost")))!;
        var load = (object?[])(await host.CallAsync(KojiCall.Read("host.getLoadData")))!;
        var byName = (XmlRpcStruct)(await releng.CallAsync(KojiCall.Read("getHost", "builder1.koji.test")))!;

        Assert.Equal(("builder1.koji.test", "x86_64 aarch64", 4.0, true, 1.5), (info["name"], info["arches"], info["capacity"], info["ready"], info["task_load"]));
        Assert.Equal(1795654800.0, info["update_ts"]);
        Assert.Equal(info["id"], byName["id"]);
        var hostEntry = (XmlRpcStruct)((object?[])load[0]!)[0]!;
        Assert.Equal([1, 7], (object?[])hostEntry["channels"]!);
        Assert.Equal(id, ((XmlRpcStruct)((object?[])load[1]!)[0]!)["id"] is int i ? i : -1);
        Assert.Equal(3, site.Read(s => s.Hosts[site.Simulated.Builder1.Id].Data["maxjobs"]));
    }

    [Fact]
    public async Task GetUser_FindsByIdNameOrPrincipal()
    {
        await using var site = await SimulatorSite.StartAsync();
        using var hub = new KojiHubConnection(site.Simulated.ClientOptions());

        var byName = (XmlRpcStruct)(await hub.CallAsync(KojiCall.Read("getUser", "releng")))!;
        var byPrincipal = (XmlRpcStruct)(await hub.CallAsync(KojiCall.Read("getUser", "compile/builder1.koji.test@KOJI.TEST")))!;
        var strict = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => hub.CallAsync(KojiCall.Read("getUser", "nobody", KojiKeywordArguments.Of(("strict", true)))));

        Assert.Equal(("releng", 0), (byName["name"], byName["usertype"]));
        Assert.Equal(["releng@KOJI.TEST"], (object?[])byName["krb_principals"]!);
        Assert.Equal(("builder1.koji.test", 1), (byPrincipal["name"], byPrincipal["usertype"]));
        Assert.Equal("No such user: 'nobody'", strict.FaultString);
    }

    [Fact]
    public async Task GetBuild_FindsByIdNvrOrStruct_AndStrictlyRefusesUnknownBuilds()
    {
        await using var site = await SimulatorSite.StartAsync();
        using var hub = new KojiHubConnection(site.Simulated.ClientOptions());
        SimBuild seeded = null!;
        site.Seed(s => seeded = s.AddBuild("Fedora-Cloud", "42", "3", "releng"));

        var byId = await hub.GetBuildAsync(seeded.Id);
        var byNvr = await hub.GetBuildAsync("Fedora-Cloud-42-3");
        var byStruct = await hub.GetBuildAsync(new XmlRpcStruct { ["name"] = "Fedora-Cloud", ["version"] = "42", ["release"] = "3" });
        var strict = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => hub.GetBuildAsync("Fedora-Cloud-42-9", strict: true));

        Assert.Equal((seeded.Id, KojiBuildState.Complete, "releng", "Fedora-Cloud-42-3"), (byId!.Id, byId.State, byId.OwnerName, byId.Nvr));
        Assert.Equal(byId.Id, byNvr!.Id);
        Assert.Equal(byId.Id, byStruct!.Id);
        Assert.Equal("No such build: 'Fedora-Cloud-42-9'", strict.FaultString);
        Assert.Equal("DEFAULT", byId.Raw["volume_name"]);
    }

    [Fact]
    public async Task SeededTask_ForAnArch_GoesOnlyToAHostWithThatArch()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        await using var other = await site.LoginSecondHostAsync();
        var task = site.Hub.CreateTask("createImage", ["name", "1", "aarch64"], owner: "releng", channel: "image", arch: "aarch64");

        await SimulatorSite.CheckInAsync(other);
        await SimulatorSite.CheckInAsync(host);
        var x86Only = await other.GetAssignedTasksAsync();
        var both = Assert.Single(await host.GetAssignedTasksAsync());

        Assert.Empty(x86Only);
        Assert.Equal((task.Id, "aarch64", "createImage"), (both.Id, both.Arch, both.Method));
    }
}
