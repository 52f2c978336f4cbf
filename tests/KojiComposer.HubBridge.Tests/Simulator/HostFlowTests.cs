using System.Text;
using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Uploads;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubBridge.Tests.Simulator;

/// <summary>The builder-host flow of koji-wire.md §11 through our client: taking, opening and attaching to a task.</summary>
public sealed class HostFlowTests
{
    [Fact]
    public async Task GetTasks_AssignsTheOsbuildImageTask_ToTheReadyHostOfChannelImage()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        await using var releng = await site.LoginUserAsync();

        Assert.Equal(site.Simulated.Builder1.Id, await host.GetHostIdAsync());
        await SimulatorSite.CheckInAsync(host);
        var id = await SimulatorSite.SubmitAsync(releng);
        var assigned = Assert.Single(await host.GetAssignedTasksAsync());

        Assert.Equal(id, assigned.Id);
        Assert.Equal(KojiTaskState.Assigned, assigned.State);
        Assert.Equal("osbuildImage", assigned.Method);
        Assert.Equal(7, assigned.ChannelId);
        Assert.Equal("noarch", assigned.Arch);
        Assert.Equal(20, assigned.Priority);
        Assert.Equal(site.Simulated.Builder1.Id, assigned.HostId);
        var row = site.TaskRow(id);
        Assert.Equal((TaskState.Assigned, site.Simulated.Builder1.Id), (row.State, row.HostId));
    }

    [Fact]
    public async Task OpenTask_ReturnsTheOriginalRequestXml_AndGetTaskInfoTheDecodedRequest()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        await using var releng = await site.LoginUserAsync();
        await SimulatorSite.CheckInAsync(host);
        var id = await SimulatorSite.SubmitAsync(releng);
        Assert.Single(await host.GetAssignedTasksAsync());

        var info = await host.GetTaskInfoAsync(id, request: true);
        var opened = await host.OpenTaskAsync(id);

        var request = info!.Request!;
        Assert.Equal(["Fedora-Cloud", "42", "fedora-42", "qcow2", "f42-candidate"], request[..5]);
        Assert.Equal(["x86_64"], (object?[])request[5]!);
        Assert.Empty((XmlRpcStruct)request[6]!);
        Assert.Equal(KojiTaskState.Open, opened!.State);
        Assert.Equal(site.Simulated.Builder1.Id, opened.HostId);
        Assert.Equal(site.Simulated.Releng.Id, opened.Owner);
        Assert.StartsWith(
            "<?xml version='1.0'?>\n<methodCall>\n<methodName>osbuildImage</methodName>\n<params>\n<param>\n<value><string>Fedora-Cloud</string></value>\n</param>\n",
            opened.RequestXml, StringComparison.Ordinal);
        Assert.Contains("<value><struct>\n</struct></value>", opened.RequestXml, StringComparison.Ordinal);
        Assert.Equal("2026-11-26 01:00:00.000000+00:00", opened.Raw["start_time"]);
        Assert.Equal(TaskState.Open, site.TaskRow(id).State);
    }

    [Fact]
    public async Task OpenTask_ReturnsNil_WhenTheTaskWasCancelledMeanwhile()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        await using var releng = await site.LoginUserAsync();
        await SimulatorSite.CheckInAsync(host);
        var id = await SimulatorSite.SubmitAsync(releng);
        Assert.Single(await host.GetAssignedTasksAsync());

        await releng.CancelTaskAsync(id);

        Assert.Null(await host.OpenTaskAsync(id));
        Assert.Equal(TaskState.Canceled, site.TaskRow(id).State);
    }

    [Fact]
    public async Task SetTaskWeight_ChangesTheWeight_OfAnOpenTaskWeOwn()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        await using var releng = await site.LoginUserAsync();
        var id = await site.OpenTaskAsync(host, releng);

        await host.SetTaskWeightAsync(id, 0.2);

        Assert.Equal(0.2, site.TaskRow(id).Weight);
        var listed = Assert.Single(await host.GetHostTasksAsync());
        Assert.Equal((id, 0.2, false), (listed.Id, listed.Weight, listed.Alert));
    }

    [Fact]
    public async Task Attachments_GoIntoTheTaskDirectory_OnlyFromTheHostRunningTheOpenTask()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        await using var other = await site.LoginSecondHostAsync();
        await using var releng = await site.LoginUserAsync();
        var id = await site.OpenTaskAsync(host, releng);
        var directory = KojiPaths.TaskOutputDirectory(id);
        var status = Encoding.UTF8.GetBytes("{\"status\": \"building\", \"task\": 1}");

        await host.UploadAsync(new MemoryStream(status), directory, "compose-status.json");
        var refused = await Assert.ThrowsAsync<KojiUploadException>(() => other.UploadAsync(new MemoryStream(status), directory, "stolen.json"));
        await host.CloseTaskAsync(id, null);
        var late = await Assert.ThrowsAsync<KojiUploadException>(() => host.UploadAsync(new MemoryStream(status), directory, "late.json"));

        Assert.Equal(status, await File.ReadAllBytesAsync(site.WorkPath("tasks", $"{id % 10000}", $"{id}", "compose-status.json")));
        var notOwner = Assert.IsType<KojiActionNotAllowedFault>(refused.InnerException);
        Assert.Equal($"host {site.Simulated.Builder2.Id} does not own task {id}", notOwner.FaultString);
        Assert.Equal($"host {site.Simulated.Builder1.Id} does not own task {id}", Assert.IsType<KojiActionNotAllowedFault>(late.InnerException).FaultString);
        Assert.Equal(["compose-status.json"], await releng.ListTaskOutputAsync(id));
        Assert.False(File.Exists(site.WorkPath("tasks", $"{id % 10000}", $"{id}", "stolen.json")));
    }

    [Fact]
    public async Task HostCalls_AreRefused_ForUsersThatAreNoHost_AndHostsWithoutExclusiveSession()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var releng = await site.LoginUserAsync();
        await using var shared = await site.Simulated.LoginAsync(Testing.Hub.SimulatedHub.SecondHostIdentity);

        var user = await Assert.ThrowsAsync<KojiAuthErrorFault>(() => releng.GetAssignedTasksAsync());
        var notExclusive = await Assert.ThrowsAsync<KojiAuthErrorFault>(() => shared.GetAssignedTasksAsync());

        Assert.Equal($"User {site.Simulated.Releng.Id} is not a host", user.FaultString);
        Assert.Equal("This method requires an exclusive session", notExclusive.FaultString);
    }
}
