using KojiComposer.HubBridge.Host;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubBridge.Tests.Host;

/// <summary>Stopping and starting again (koji-wire.md §9.2, §9.7): open tasks stay ours and are resumed.</summary>
public sealed class KojiHostLoopRestartTests
{
    [Fact]
    public async Task Stop_LeavesTheRunningTaskOpen_SaysNotReady_AndANewLoopResumesTheSameTask()
    {
        await using var site = await HostLoopSite.StartAsync();
        await using var releng = await site.LoginUserAsync();
        var journal = new InMemoryTaskJournal();
        var first = new FakeTaskHandler { Behaviour = FakeTaskHandler.UntilStoppedAsync };
        var id = site.CreateTask();
        var loop = site.Start(journal, handlers: first);
        await HostLoopSite.WaitUntilAsync(() => first.Runs.Count == 1, "the first loop runs the task");

        await loop.StopAsync();
        var afterStop = site.Read(s => (s.Tasks[id].State, s.Tasks[id].HostId));
        var lastBeat = site.Hub.CallsTo("host.updateHost").Last();
        var sessionsOpen = site.Read(s => s.Sessions.Values.Count(x => !x.Closed && s.HostOfUser(x.UserId)?.Id == site.Builder1.Id));
        var second = new FakeTaskHandler();
        site.Start(journal, handlers: second);
        await HostLoopSite.WaitUntilAsync(() => journal[id]?.Outcome is not null, "the second loop finishes the task");

        Assert.Equal((TaskState.Open, (long?)site.Builder1.Id), afterStop);
        Assert.Empty(site.CallsFor("host.freeTasks", id));
        Assert.Equal([0.0, false], lastBeat.Params);
        Assert.False(loop.Loop.Status.LoggedIn);
        Assert.Empty(loop.Loop.Status.RunningTasks);
        Assert.Equal(0, sessionsOpen);
        var resumed = Assert.Single(second.Runs);
        Assert.Equal((id, true), (resumed.TaskId, resumed.Resumed));
        Assert.Single(first.Runs);
        Assert.Single(site.CallsFor("host.openTask", id));
        Assert.Equal(TaskState.Closed, site.TaskRow(id).State);
        Assert.NotNull(await releng.GetTaskResultAsync(id));
    }

    [Fact]
    public async Task TaskCanceledWhileNoLoopRan_RunsItsHandlerAlreadyStopped_AndTheJournalRecordsTheCancellation()
    {
        await using var site = await HostLoopSite.StartAsync();
        await using var releng = await site.LoginUserAsync();
        var journal = new InMemoryTaskJournal();
        var first = new FakeTaskHandler { Behaviour = FakeTaskHandler.UntilStoppedAsync };
        var id = site.CreateTask();
        var loop = site.Start(journal, handlers: first);
        await HostLoopSite.WaitUntilAsync(() => first.Runs.Count == 1, "the first loop runs the task");
        await loop.StopAsync();

        await releng.CancelTaskAsync(id);
        (bool Stopped, KojiTaskStopReason Reason)? seen = null;
        var second = new FakeTaskHandler
        {
            Behaviour = (context, _) =>
            {
                seen = (context.Stopped.IsCancellationRequested, context.StopReason);
                return Task.FromResult<KojiTaskOutcome>(new KojiTaskOutcome.Canceled());
            },
        };
        site.Start(journal, handlers: second);
        await HostLoopSite.WaitUntilAsync(() => journal[id]?.Outcome is not null, "the journal has the task finished");

        Assert.Equal((true, KojiTaskStopReason.Canceled), seen);
        Assert.Equal(id, Assert.Single(second.Runs).TaskId);
        Assert.IsType<KojiTaskOutcome.Canceled>(journal[id]!.Outcome);
        Assert.Empty(site.CallsFor("host.closeTask", id));
        Assert.Empty(site.CallsFor("host.failTask", id));
        Assert.Empty(site.CallsFor("host.setTaskWeight", id).Skip(1));
    }

    [Fact]
    public async Task StartUp_RecordsWhatTheHubFinished_AbandonsWhatIsNoLongerOurs_AndFreesOpenTasksWithoutAHandler()
    {
        await using var site = await HostLoopSite.StartAsync();
        var journal = new InMemoryTaskJournal();
        // Tasks a crashed run left behind, in the states the hub may hold them by now.
        var closed = site.CreateTask();
        var failed = site.CreateTask();
        var freed = site.CreateTask();
        var foreign = site.CreateTask("createImage", ["name", "1", "x86_64"]);
        site.Seed(s =>
        {
            Finish(s.Tasks[closed], TaskState.Closed, "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><string>done</string></value>\n</param>\n</params>\n</methodResponse>\n");
            Finish(s.Tasks[failed], TaskState.Failed, HubBridge.XmlRpc.XmlRpcWriter.FaultDocument(1005, "Compose failed (id: x)"));
            s.Tasks[foreign].State = TaskState.Open;
            s.Tasks[foreign].HostId = site.Builder1.Id;
        });
        foreach (var id in new[] { closed, failed, freed })
        {
            await journal.ReceivedAsync(site.Read(s => Info(s.Tasks[id])), CancellationToken.None);
        }

        var handler = new FakeTaskHandler();
        site.Start(journal, handlers: handler);
        await HostLoopSite.WaitUntilAsync(
            () => new[] { closed, failed, freed }.All(id => journal[id]?.Outcome is not null) && site.TaskRow(foreign).State != TaskState.Open,
            "the journal's tasks are finished and the foreign task freed");

        Assert.Equal(new KojiTaskOutcome.Closed("done"), journal[closed]!.Outcome);
        Assert.Equal(new KojiTaskOutcome.Failed(1005, "Compose failed (id: x)"), journal[failed]!.Outcome);
        Assert.Contains("FREE", Assert.IsType<KojiTaskOutcome.Abandoned>(journal[freed]!.Outcome).Reason, StringComparison.Ordinal);
        Assert.Contains(site.Hub.CallsTo("host.freeTasks"), c => ((object?[])c.Params[0]!).Select(v => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)).SequenceEqual([foreign]));
        Assert.Null(journal[foreign]);
        Assert.DoesNotContain(handler.Runs, r => r.TaskId is var t && (t == closed || t == failed || t == foreign));
    }

    [Fact]
    public async Task UntilTheJournalCanBeReconciled_TheHostSaysNotReady_AndTakesNoTask()
    {
        await using var site = await HostLoopSite.StartAsync();
        var journal = new InMemoryTaskJournal { FailUnfinished = true };
        var handler = new FakeTaskHandler();
        var id = site.CreateTask();

        var loop = site.Start(journal, handlers: handler);
        await HostLoopSite.WaitUntilAsync(() => site.Hub.CallsTo("host.updateHost").Count >= 3 && loop.Loop.Status.LastError is not null, "heartbeats while the journal is down");
        var beatsWhileDown = site.Hub.CallsTo("host.updateHost").Select(c => c.Params[1]).ToList();
        var errorWhileDown = loop.Loop.Status.LastError;
        var stateWhileDown = site.TaskRow(id).State;
        journal.FailUnfinished = false;
        await HostLoopSite.WaitUntilAsync(() => journal[id]?.Outcome is not null, "the task is taken once the journal works");

        Assert.All(beatsWhileDown, ready => Assert.Equal(false, ready));
        Assert.Equal("start-up reconciliation: journal store is down", errorWhileDown);
        Assert.Equal(TaskState.Free, stateWhileDown);
        Assert.Single(handler.Runs);
    }

    private static void Finish(SimTask task, TaskState state, string result)
    {
        task.State = state;
        task.Result = result;
    }

    private static Calls.KojiTaskInfo Info(SimTask task) =>
        new(task.Id, (Calls.KojiTaskState)task.State, task.Method, task.Arch, task.HostId, task.Parent, task.Owner, task.ChannelId,
            task.Priority, task.Weight, false, task.Label, new HubBridge.XmlRpc.XmlRpcStruct { ["request"] = task.Request });
}
