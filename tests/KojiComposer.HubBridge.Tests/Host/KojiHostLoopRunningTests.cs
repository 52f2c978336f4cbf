using KojiComposer.HubBridge.Host;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubBridge.Tests.Host;

/// <summary>While tasks run (koji-wire.md §9.3-§9.4): the heartbeat goes on, cancellation reaches the handler.</summary>
public sealed class KojiHostLoopRunningTests
{
    [Fact]
    public async Task Heartbeat_KeepsGoingWithTheTaskLoad_WhileAHandlerIsBlocked()
    {
        await using var site = await HostLoopSite.StartAsync();
        var journal = new InMemoryTaskJournal();
        var handler = new FakeTaskHandler { Behaviour = (_, shutdown) => new TaskCompletionSource<KojiTaskOutcome>().Task.WaitAsync(shutdown) };
        var id = site.CreateTask();

        var loop = site.Start(journal, site.Options(maxTasks: 3), handler);
        await HostLoopSite.WaitUntilAsync(() => handler.Runs.Count == 1, "the handler runs");
        var beatsBefore = site.Hub.CallsTo("host.updateHost").Count;
        var seenBefore = site.Read(s => s.Hosts[site.Builder1.Id].UpdateTime);
        var statusBefore = loop.Loop.Status.LastHeartbeat;
        await HostLoopSite.WaitUntilAsync(
            () => site.Hub.CallsTo("host.updateHost").Skip(beatsBefore).Count(c => c.Params[0] is 0.2) >= 5,
            "five more heartbeats with the task's load");

        var beat = site.Hub.CallsTo("host.updateHost").Last(c => c.Params[0] is 0.2);
        Assert.Equal(true, beat.Params[1]);
        var data = (XmlRpcStruct)((XmlRpcStruct)beat.Params[2]!)["data"]!;
        Assert.Equal(["osbuildImage"], (object?[])data["methods"]!);
        Assert.Equal(3, data["maxjobs"]);
        Assert.True(site.Read(s => s.Hosts[site.Builder1.Id].UpdateTime) > seenBefore);
        Assert.True(site.Read(s => s.Hosts[site.Builder1.Id].Ready));
        Assert.True(loop.Loop.Status.LastHeartbeat > statusBefore);
        Assert.Equal([id], loop.Loop.Status.RunningTasks);
        Assert.Equal(TaskState.Open, site.TaskRow(id).State);
        var master = site.Hub.CallsTo("host.getID").Last().SessionId;
        Assert.NotEqual(master, beat.SessionId);
        Assert.Equal(master, site.Read(s => s.Sessions[beat.SessionId!.Value].Master));
    }

    [Fact]
    public async Task CancelTask_FiresStoppedWithCanceled_AndNothingIsWrittenToTheTask()
    {
        await using var site = await HostLoopSite.StartAsync();
        await using var releng = await site.LoginUserAsync();
        var journal = new InMemoryTaskJournal();
        KojiTaskStopReason? seen = null;
        var handler = new FakeTaskHandler
        {
            Behaviour = async (context, shutdown) =>
            {
                var outcome = await FakeTaskHandler.UntilStoppedAsync(context, shutdown);
                seen = context.StopReason;
                return outcome;
            },
        };
        var id = site.CreateTask();
        site.Start(journal, handlers: handler);
        await HostLoopSite.WaitUntilAsync(() => handler.Runs.Count == 1, "the handler runs");

        await releng.CancelTaskAsync(id);
        await HostLoopSite.WaitUntilAsync(() => journal[id]?.Outcome is not null, "the journal has the task finished");

        Assert.Equal(KojiTaskStopReason.Canceled, seen);
        Assert.IsType<KojiTaskOutcome.Canceled>(journal[id]!.Outcome);
        Assert.Equal(TaskState.Canceled, site.TaskRow(id).State);
        Assert.Empty(site.CallsFor("host.closeTask", id));
        Assert.Empty(site.CallsFor("host.failTask", id));
    }

    [Fact]
    public async Task TaskFreedByTheHub_FiresStoppedWithLost_AndTheJournalHasItAbandoned()
    {
        await using var site = await HostLoopSite.StartAsync();
        var journal = new InMemoryTaskJournal();
        KojiTaskStopReason? seen = null;
        var handler = new FakeTaskHandler
        {
            Behaviour = async (context, shutdown) =>
            {
                var outcome = await FakeTaskHandler.UntilStoppedAsync(context, shutdown);
                seen ??= context.StopReason;
                return outcome;
            },
        };
        var id = site.CreateTask();
        site.Start(journal, handlers: handler);
        await HostLoopSite.WaitUntilAsync(() => handler.Runs.Count == 1, "the handler runs");

        // What HostTimeout does to a silent host's tasks; the scheduler then gives it to us again.
        site.Seed(s => s.Free(s.Tasks[id]));
        await HostLoopSite.WaitUntilAsync(() => handler.Runs.Count == 2, "the task is taken again");

        Assert.Equal(KojiTaskStopReason.Lost, seen);
        Assert.Equal(0, handler.Overlaps);
        Assert.True(handler.Runs[1].Resumed);
        Assert.Equal(2, site.CallsFor("host.openTask", id).Count);
        Assert.Equal(["received", "opened", "finished", "received", "opened"], journal.Steps.Select(s => s.Step));
        Assert.Empty(site.CallsFor("host.closeTask", id));
    }

    [Fact]
    public async Task CloseRefusedBecauseTheTaskWasCanceledMeanwhile_IsRecordedAsCanceled()
    {
        await using var site = await HostLoopSite.StartAsync();
        await using var releng = await site.LoginUserAsync();
        var journal = new InMemoryTaskJournal();
        var handler = new FakeTaskHandler
        {
            Behaviour = async (context, shutdown) =>
            {
                await releng.CancelTaskAsync(context.TaskId, shutdown); // canceled just as the work ends
                return new KojiTaskOutcome.Closed("too late");
            },
        };
        var id = site.CreateTask();

        site.Start(journal, handlers: handler);
        await HostLoopSite.WaitUntilAsync(() => journal[id]?.Outcome is not null, "the journal has the task finished");

        Assert.IsType<KojiTaskOutcome.Canceled>(journal[id]!.Outcome);
        Assert.Equal(TaskState.Canceled, site.TaskRow(id).State);
        var close = Assert.Single(site.CallsFor("host.closeTask", id));
        Assert.Equal(1004, close.FaultCode);
        Assert.Empty(site.CallsFor("host.failTask", id));
    }
}
