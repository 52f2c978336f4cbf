using KojiComposer.HubBridge.Calls;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubBridge.Tests.Simulator;

/// <summary>
/// The hub scheduler's timers (koji-wire.md §9.1: HostTimeout 900 s, AssignTimeout 300 s, ReadyTimeout 180 s) and
/// refusals, driven by advancing the hub's manual clock.
/// </summary>
public sealed class SchedulerTimeoutTests
{
    [Fact]
    public async Task HostTimeout_FreesTheOpenTasksOfAHostSilentFor15Minutes_AndAnotherHostGetsThem()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        await using var other = await site.LoginSecondHostAsync();
        await using var releng = await site.LoginUserAsync();
        var id = await site.OpenTaskAsync(host, releng);

        site.Clock.Advance(TimeSpan.FromMinutes(14));
        var afterFourteen = site.TaskRow(id).State;
        site.Clock.Advance(TimeSpan.FromMinutes(2));
        var freed = (site.TaskRow(id).State, site.TaskRow(id).HostId);
        await SimulatorSite.CheckInAsync(other);
        var taken = Assert.Single(await other.GetAssignedTasksAsync());

        Assert.Equal(TaskState.Open, afterFourteen);
        Assert.Equal((TaskState.Free, (long?)null), freed);
        Assert.Equal(id, taken.Id);
        Assert.Equal(site.Simulated.Builder2.Id, taken.HostId);
        Assert.Empty(await host.GetHostTasksAsync());
        Assert.Equal(KojiTaskState.Assigned, (await releng.GetTaskInfoAsync(id))!.State);
    }

    [Fact]
    public async Task HostTimeout_LeavesTheTasksOfAHostThatKeepsCallingUpdateHost()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        await using var releng = await site.LoginUserAsync();
        var id = await site.OpenTaskAsync(host, releng);

        for (var minute = 0; minute < 30; minute++)
        {
            site.Clock.Advance(TimeSpan.FromMinutes(1));
            await host.UpdateHostAsync(1.0, ready: true);
        }

        var task = site.TaskRow(id);
        Assert.Equal((TaskState.Open, site.Simulated.Builder1.Id), (task.State, task.HostId));
        Assert.Equal(id, Assert.Single(await host.GetHostTasksAsync()).Id);
    }

    [Fact]
    public async Task AssignTimeout_FreesATaskNotOpenedIn5Minutes_AsARefusalOfTheHostThatCheckedIn()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        await using var other = await site.LoginSecondHostAsync();
        await using var releng = await site.LoginUserAsync();
        await SimulatorSite.CheckInAsync(host);
        var id = await SimulatorSite.SubmitAsync(releng);
        Assert.Single(await host.GetAssignedTasksAsync());

        site.Clock.Advance(TimeSpan.FromSeconds(120));
        await SimulatorSite.CheckInAsync(host);
        site.Clock.Advance(TimeSpan.FromSeconds(240));
        var freed = (site.TaskRow(id).State, site.TaskRow(id).HostId, site.TaskRow(id).Refusals[site.Simulated.Builder1.Id].Message);
        await SimulatorSite.CheckInAsync(host);
        await SimulatorSite.CheckInAsync(other);
        var again = await host.GetAssignedTasksAsync();
        var taken = Assert.Single(await other.GetAssignedTasksAsync());

        Assert.Equal((TaskState.Free, (long?)null, "assignment timeout"), freed);
        Assert.Empty(again);
        Assert.Equal(id, taken.Id);
    }

    [Fact]
    public async Task ReadyTimeout_KeepsTasksAwayFromAHostThatHasNotCheckedInFor3Minutes()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        await using var releng = await site.LoginUserAsync();
        await SimulatorSite.CheckInAsync(host);

        site.Clock.Advance(TimeSpan.FromMinutes(4));
        var id = await SimulatorSite.SubmitAsync(releng);
        var none = await host.GetAssignedTasksAsync();
        site.Clock.Advance(TimeSpan.FromMinutes(1));
        await SimulatorSite.CheckInAsync(host);
        var assigned = Assert.Single(await host.GetAssignedTasksAsync());

        Assert.Empty(none);
        Assert.Equal(id, assigned.Id);
    }

    [Fact]
    public async Task RefuseTask_FreesTheTask_AndTheSchedulerGivesItToAnotherHost()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        await using var other = await site.LoginSecondHostAsync();
        await using var releng = await site.LoginUserAsync();
        await SimulatorSite.CheckInAsync(host);
        var id = await SimulatorSite.SubmitAsync(releng);
        Assert.Single(await host.GetAssignedTasksAsync());

        await host.RefuseTaskAsync(id, soft: false, "no handler for method");
        var refused = (site.TaskRow(id).State, site.TaskRow(id).Refusals[site.Simulated.Builder1.Id]);
        site.Clock.Advance(TimeSpan.FromSeconds(61));
        await SimulatorSite.CheckInAsync(host);
        await SimulatorSite.CheckInAsync(other);
        var mine = await host.GetAssignedTasksAsync();
        var theirs = Assert.Single(await other.GetAssignedTasksAsync());

        Assert.Equal((TaskState.Free, new SimRefusal(Soft: false, ByHost: true, "no handler for method", site.Clock.GetUtcNow() - TimeSpan.FromSeconds(61))), refused);
        Assert.Empty(mine);
        Assert.Equal(id, theirs.Id);
    }

    [Fact]
    public async Task FreeTasks_GivesOurOpenTasksBack_ForTheSchedulerToAssignAgain()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        await using var releng = await site.LoginUserAsync();
        var id = await site.OpenTaskAsync(host, releng);

        await host.FreeTasksAsync([id]);
        var freed = site.TaskRow(id).State;
        site.Clock.Advance(TimeSpan.FromSeconds(61));
        await SimulatorSite.CheckInAsync(host);
        var again = Assert.Single(await host.GetAssignedTasksAsync());

        Assert.Equal(TaskState.Free, freed);
        Assert.Equal(id, again.Id);
    }
}
