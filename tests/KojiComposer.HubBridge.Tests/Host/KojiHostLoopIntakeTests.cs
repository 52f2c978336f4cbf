using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Host;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubBridge.Tests.Host;

/// <summary>Taking tasks (koji-wire.md §9.3): record, open, weigh, run, report; refuse what we cannot run.</summary>
public sealed class KojiHostLoopIntakeTests
{
    [Fact]
    public async Task AssignedTask_IsRecordedBeforeItIsOpened_WeighedAndRun_AndItsResultIsWhatGetTaskResultReturns()
    {
        await using var site = await HostLoopSite.StartAsync();
        await using var releng = await site.LoginUserAsync();
        var journal = new InMemoryTaskJournal();
        var openCallsWhenReceived = -1;
        journal.OnStep = (step, id) =>
        {
            if (step == "received")
            {
                openCallsWhenReceived = site.CallsFor("host.openTask", id).Count;
            }
        };
        var handler = new FakeTaskHandler();
        var id = site.CreateTask();

        var loop = site.Start(journal, handlers: handler);
        await HostLoopSite.WaitUntilAsync(() => journal[id]?.Outcome is not null, "the task is finished in the journal");

        Assert.Equal(0, openCallsWhenReceived);
        Assert.Single(site.CallsFor("host.openTask", id));
        Assert.Equal([("received", id), ("opened", id), ("finished", id)], journal.Steps);
        var weight = Assert.Single(site.CallsFor("host.setTaskWeight", id));
        Assert.Equal(0.2, weight.Params[1]);
        var run = Assert.Single(handler.Runs);
        Assert.Equal((id, site.Builder1.Id, false), (run.TaskId, run.HostId, run.Resumed));
        Assert.Equal(["Fedora-Cloud", "42", "fedora-42", "qcow2", "f42-candidate"], run.Task.Request![..5]);
        Assert.Equal(TaskState.Closed, site.TaskRow(id).State);
        var result = Assert.IsType<XmlRpcStruct>(await releng.GetTaskResultAsync(id));
        Assert.Equal(id, Convert.ToInt64(result["done"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.IsType<KojiTaskOutcome.Closed>(journal[id]!.Outcome);
        Assert.True(journal[id]!.Opened);
        Assert.True(loop.Loop.Status.LoggedIn);
        Assert.Equal(site.Builder1.Id, loop.Loop.Status.HostId);
    }

    [Fact]
    public async Task FailedOutcome_FailsTheTask_AndGetTaskResultRaisesItsFaultWithCodeAndText()
    {
        await using var site = await HostLoopSite.StartAsync();
        await using var releng = await site.LoginUserAsync();
        var journal = new InMemoryTaskJournal();
        var handler = new FakeTaskHandler
        {
            Behaviour = (_, _) => Task.FromResult<KojiTaskOutcome>(new KojiTaskOutcome.Failed(1005, "Compose failed (id: 9f1c)")),
        };
        var id = site.CreateTask();

        site.Start(journal, handlers: handler);
        await HostLoopSite.WaitUntilAsync(() => journal[id]?.Outcome is not null, "the task is finished in the journal");

        Assert.Equal(TaskState.Failed, site.TaskRow(id).State);
        var fault = await Assert.ThrowsAsync<KojiBuildErrorFault>(() => releng.GetTaskResultAsync(id));
        Assert.Equal((1005, "Compose failed (id: 9f1c)"), (fault.FaultCode, fault.FaultString));
        Assert.Equal(new KojiTaskOutcome.Failed(1005, "Compose failed (id: 9f1c)"), journal[id]!.Outcome);
    }

    [Fact]
    public async Task HandlerThatThrows_FailsTheTaskWithGenericError_NamingTheMethod_AndIsLogged()
    {
        await using var site = await HostLoopSite.StartAsync();
        await using var releng = await site.LoginUserAsync();
        var journal = new InMemoryTaskJournal();
        var handler = new FakeTaskHandler { Behaviour = (_, _) => throw new InvalidDataException("the plan is broken") };
        var id = site.CreateTask();

        var loop = site.Start(journal, handlers: handler);
        await HostLoopSite.WaitUntilAsync(() => journal[id]?.Outcome is not null, "the task is finished in the journal");

        var fault = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => releng.GetTaskResultAsync(id));
        Assert.Equal((1000, "osbuildImage handler failed: the plan is broken"), (fault.FaultCode, fault.FaultString));
        Assert.Contains(loop.Logs.Lines, l => l.EventId == 1312 && l.Exception is InvalidDataException && l.Text.Contains($"task {id}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TaskOfAMethodWithoutHandler_IsRefusedHard_WithKojisText_AndGoesBackToFree()
    {
        await using var site = await HostLoopSite.StartAsync();
        var journal = new InMemoryTaskJournal();
        var handler = new FakeTaskHandler();
        var id = site.CreateTask("createImage", ["name", "1", "x86_64"]);

        site.Start(journal, handlers: handler);
        await HostLoopSite.WaitUntilAsync(() => site.CallsFor("host.refuseTask", id).Count > 0, "the task is refused");

        var refusal = Assert.Single(site.CallsFor("host.refuseTask", id));
        Assert.Equal([id, false, "no handler for method"], refusal.Params.Select(p => p is int i ? (long)i : p));
        var row = site.TaskRow(id);
        Assert.Equal((TaskState.Free, (long?)null), (row.State, row.HostId));
        Assert.Equal((false, "no handler for method"), (row.Refusals[site.Builder1.Id].Soft, row.Refusals[site.Builder1.Id].Message));
        Assert.Empty(handler.Runs);
        Assert.Empty(site.CallsFor("host.openTask", id));
        Assert.Null(journal[id]);
    }

    [Fact]
    public async Task AtCapacity_OtherTasksAreRefusedSoftly_NamingTheHost_ButATagBuildIsStillTaken()
    {
        await using var site = await HostLoopSite.StartAsync();
        var journal = new InMemoryTaskJournal();
        var images = new FakeTaskHandler { Behaviour = FakeTaskHandler.UntilStoppedAsync };
        var tagging = new FakeTaskHandler("tagBuild", 0.1);
        var first = site.CreateTask();
        var loop = site.Start(journal, site.Options(maxTasks: 1), images, tagging);
        await HostLoopSite.WaitUntilAsync(() => images.Runs.Count == 1, "the first task runs");

        // Both handed to us at once, as an admin's override assignment does.
        var second = site.CreateTask();
        var tag = site.CreateTask("tagBuild", [site.DestTag.Id, 1, false, null, true]);
        site.Seed(s =>
        {
            foreach (var t in new[] { s.Tasks[second], s.Tasks[tag] })
            {
                t.State = TaskState.Assigned;
                t.HostId = site.Builder1.Id;
            }
        });
        await HostLoopSite.WaitUntilAsync(() => journal[tag]?.Outcome is not null && site.CallsFor("host.refuseTask", second).Count > 0, "the tagBuild ran and the other task was refused");

        var refusal = Assert.Single(site.CallsFor("host.refuseTask", second));
        Assert.Equal([second, true, "builder1.koji.test is at capacity (1 tasks)"], refusal.Params.Select(p => p is int i ? (long)i : p));
        Assert.True(site.TaskRow(second).Refusals[site.Builder1.Id].Soft);
        Assert.Equal(TaskState.Closed, site.TaskRow(tag).State);
        Assert.Equal([first], images.Runs.Select(r => r.TaskId));
        await HostLoopSite.WaitUntilAsync(() => loop.Loop.Status.RunningTasks.SequenceEqual([first]), "only the first task runs");
    }

    [Fact]
    public async Task JournalThatCannotRecordATask_KeepsItFromBeingOpened_UntilItCan()
    {
        await using var site = await HostLoopSite.StartAsync();
        var journal = new InMemoryTaskJournal();
        var down = true;
        journal.FailReceived = _ => Volatile.Read(ref down);
        var handler = new FakeTaskHandler();
        var id = site.CreateTask();

        var loop = site.Start(journal, handlers: handler);
        await HostLoopSite.WaitUntilAsync(() => journal.Steps.Count(s => s.Step == "received") >= 2, "the journal was asked twice");
        var openedWhileDown = site.CallsFor("host.openTask", id).Count;
        var stateWhileDown = site.TaskRow(id).State;
        var errorWhileDown = loop.Loop.Status.LastError;
        Volatile.Write(ref down, false);
        await HostLoopSite.WaitUntilAsync(() => journal[id]?.Outcome is not null, "the task is finished in the journal");

        Assert.Equal(0, openedWhileDown);
        Assert.Equal(TaskState.Assigned, stateWhileDown);
        Assert.Contains($"could not record task {id}: journal store is down", errorWhileDown, StringComparison.Ordinal);
        Assert.Single(handler.Runs);
        Assert.Equal(TaskState.Closed, site.TaskRow(id).State);
        await HostLoopSite.WaitUntilAsync(() => loop.Loop.Status.LastError is null, "the error is cleared after a clean round");
    }
}
