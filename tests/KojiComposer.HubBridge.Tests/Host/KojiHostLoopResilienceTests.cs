using KojiComposer.HubBridge.Host;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubBridge.Tests.Host;

/// <summary>The loop survives a hub that goes offline, forgets our sessions, or will not let us in yet.</summary>
public sealed class KojiHostLoopResilienceTests
{
    [Fact]
    public async Task HubOffline_ForAWhile_TheLoopRecovers_TakesNewTasks_AndRunsNoTaskTwice()
    {
        await using var site = await HostLoopSite.StartAsync();
        var journal = new InMemoryTaskJournal();
        var handler = new FakeTaskHandler();
        var first = site.CreateTask();
        handler.Behaviour = (context, shutdown) => context.TaskId == first
            ? FakeTaskHandler.UntilStoppedAsync(context, shutdown)
            : Task.FromResult<KojiTaskOutcome>(new KojiTaskOutcome.Closed(null));
        var loop = site.Start(journal, handlers: handler);
        await HostLoopSite.WaitUntilAsync(() => handler.Runs.Count == 1, "the first task runs");

        site.Hub.Offline = true;
        await HostLoopSite.WaitUntilAsync(() => loop.Loop.Status.LastError?.Contains("server is offline", StringComparison.Ordinal) == true, "the loop reports the hub offline");
        var calls = site.Hub.Calls.Count;
        await HostLoopSite.WaitUntilAsync(() => site.Hub.Calls.Count > calls + 10, "the loop keeps trying");
        site.Hub.Offline = false;
        var second = site.CreateTask();
        await HostLoopSite.WaitUntilAsync(() => site.TaskRow(second).State == TaskState.Closed, "the task made after the outage is done");
        await HostLoopSite.WaitUntilAsync(() => loop.Loop.Status.LastError is null, "the error is cleared");

        Assert.Single(handler.RunsOf(first));
        Assert.Single(handler.RunsOf(second));
        Assert.Equal(0, handler.Overlaps);
        Assert.Equal((TaskState.Open, site.Builder1.Id), (site.TaskRow(first).State, site.TaskRow(first).HostId));
        Assert.Single(site.CallsFor("host.openTask", first));
        Assert.False(loop.Run.IsCompleted);
        Assert.Contains(loop.Logs.Lines, l => l.EventId == 1301 && l.Text.Contains("server is offline", StringComparison.Ordinal));
        Assert.Contains(loop.Logs.Lines, l => l.EventId == 1302);
    }

    [Fact]
    public async Task HubForgetsOurSessions_TheLoopLogsInAgain_OpensANewControlSubsession_AndKeepsWorking()
    {
        await using var site = await HostLoopSite.StartAsync();
        var journal = new InMemoryTaskJournal();
        var handler = new FakeTaskHandler
        {
            // A handler reads with the master session, which must work again too.
            Behaviour = async (context, shutdown) => new KojiTaskOutcome.Closed((await context.Session.GetTaskInfoAsync(context.TaskId, cancellationToken: shutdown))!.Method),
        };
        var first = site.CreateTask();
        var loop = site.Start(journal, handlers: handler);
        await HostLoopSite.WaitUntilAsync(() => journal[first]?.Outcome is not null, "the first task is done");
        var oldSessions = site.Read(s => s.Sessions.Values.Where(x => !x.Closed && s.HostOfUser(x.UserId)?.Id == site.Builder1.Id).Select(x => x.Id).ToList());

        site.Seed(s =>
        {
            foreach (var id in oldSessions)
            {
                s.Sessions[id].Closed = true; // a hub whose session table was lost
            }
        });
        var second = site.CreateTask();
        await HostLoopSite.WaitUntilAsync(() => journal[second]?.Outcome is not null, "the task made afterwards is done");
        var beats = site.Hub.CallsTo("host.updateHost").Count;
        await HostLoopSite.WaitUntilAsync(() => site.Hub.CallsTo("host.updateHost").Skip(beats).Any(c => c.FaultCode is null), "heartbeats go on");

        Assert.Equal(new KojiTaskOutcome.Closed("osbuildImage"), journal[second]!.Outcome);
        Assert.Equal(TaskState.Closed, site.TaskRow(second).State);
        var beat = site.Hub.CallsTo("host.updateHost").Last(c => c.FaultCode is null);
        Assert.DoesNotContain(beat.SessionId!.Value, oldSessions);
        Assert.NotNull(site.Read(s => s.Sessions[beat.SessionId!.Value].Master));
        Assert.Contains(loop.Logs.Lines, l => l.EventId == 1322);
    }

    [Fact]
    public async Task LoginLockedOutByAnotherExclusiveSession_IsRetried_UntilTheOtherOneLogsOut()
    {
        await using var site = await HostLoopSite.StartAsync();
        var journal = new InMemoryTaskJournal();
        var handler = new FakeTaskHandler();
        var other = await site.LoginHostAsync();
        var loop = site.Start(journal, handlers: handler);
        await HostLoopSite.WaitUntilAsync(() => loop.Loop.Status.LastError is not null, "the loop reports the refused login");
        var refused = loop.Loop.Status;

        await other.LogoutAsync();
        await other.DisposeAsync();
        var id = site.CreateTask();
        await HostLoopSite.WaitUntilAsync(() => journal[id]?.Outcome is not null, "the loop takes a task");

        Assert.False(refused.LoggedIn);
        Assert.Contains("login: ", refused.LastError, StringComparison.Ordinal);
        Assert.Contains("Cannot get exclusive session", refused.LastError, StringComparison.Ordinal);
        Assert.True(loop.Loop.Status.LoggedIn);
        Assert.Equal(TaskState.Closed, site.TaskRow(id).State);
    }

    [Fact]
    public async Task OpenTaskReplyLost_ThenAnOutageLongerThanTheRetries_TheTaskOpenedForUsStillRuns_Once()
    {
        await using var site = await HostLoopSite.StartAsync();
        var journal = new InMemoryTaskJournal();
        var handler = new FakeTaskHandler();
        var failing = false;
        var dropped = 0;
        // The hub opens the task but the reply is lost, and the hub then answers 503 until the session's retries
        // (and the poll round) have given up: the task is OPEN for us, and host.getTasks will never list it again.
        site.Hub.DropReplyAfterRunning = method => method == "host.openTask" && Interlocked.Exchange(ref dropped, 1) == 0 && (failing = true);
        site.Hub.FailRpcWithStatus = _ => Volatile.Read(ref failing) ? 503 : null;
        var id = site.CreateTask();
        var loop = site.Start(journal, handlers: handler);
        await HostLoopSite.WaitUntilAsync(() => Volatile.Read(ref dropped) == 1, "the openTask reply is lost");
        await HostLoopSite.WaitUntilAsync(() => loop.Loop.Status.LastError?.Contains("poll (host.getTasks)", StringComparison.Ordinal) == true, "the poll round gives up");
        Assert.Equal((TaskState.Open, site.Builder1.Id), (site.TaskRow(id).State, site.TaskRow(id).HostId));
        Volatile.Write(ref failing, false);

        await HostLoopSite.WaitUntilAsync(() => site.TaskRow(id).State == TaskState.Closed, "the task opened for us is run and closed");

        Assert.Single(handler.RunsOf(id));
        Assert.Equal(0, handler.Overlaps);
        Assert.NotNull(journal[id]?.Outcome);
        Assert.Single(site.CallsFor("host.openTask", id), c => c.FaultCode is null);
    }
}
