using System.Threading.Channels;
using KojiComposer.Cli.Commands;
using KojiComposer.Cli.Koji;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.Cli.Tests.OsbuildImage;

/// <summary>
/// <see cref="KojiTaskWatcher"/> prints what koji's <c>watch_tasks</c> prints. The test moves the task between
/// polls (the watcher's delay is a gate the test opens), so every state is seen exactly once.
/// </summary>
[Collection(OsbuildImageHubCollection.Name)]
public sealed class KojiTaskWatcherTests(OsbuildImageHub fixture) : IDisposable
{
    private readonly KojiHubConnection _hub = new(fixture.Simulated.ClientOptions());
    private readonly StringWriter _output = new();
    private readonly Channel<TaskCompletionSource> _polls = Channel.CreateUnbounded<TaskCompletionSource>();

    public void Dispose() => _hub.Dispose();

    private string Host => fixture.Simulated.Builder1.Name;

    private readonly StringWriter _notices = new();

    private KojiTaskWatcher Watcher(bool quiet = false, TimeSpan? outageLimit = null) => new(_hub, _output, TimeSpan.FromSeconds(60))
    {
        Quiet = quiet,
        Notices = _notices,
        Command = "kojicomposer osbuild-image",
        OutageLimit = outageLimit ?? TimeSpan.FromMinutes(10),
        Delay = async (_, ct) =>
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await _polls.Writer.WriteAsync(gate, ct);
            await gate.Task.WaitAsync(ct);
        },
    };

    /// <summary>Waits until the watcher has finished a poll and waits for the next; then <paramref name="change"/>
    /// runs and the next poll starts.</summary>
    private async Task AfterPollAsync(Action change)
    {
        var gate = await _polls.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        change();
        gate.SetResult();
    }

    private string[] Lines => _output.ToString().TrimEnd('\n').Split('\n');

    [Fact]
    public async Task Watch_ShowsEachStateChange_AndSubtasks_UntilTheTaskCloses()
    {
        var task = fixture.AddOsbuildImage().Id;
        long child = 0;

        var watch = Watcher().WatchAsync([task], CancellationToken.None);
        await AfterPollAsync(() => fixture.Open(task));
        await AfterPollAsync(() => child = fixture.AddTagBuild(task).Id);
        await AfterPollAsync(() => fixture.Open(child));
        await AfterPollAsync(() => fixture.Finish(child, TaskState.Closed));
        await AfterPollAsync(() => fixture.Finish(task, TaskState.Closed, OsbuildImageHub.Result()));
        var code = await watch.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal(
            [
                "Watching tasks (this may be safely interrupted)...",
                $"{task} osbuildImage (noarch): free",
                $"{task} osbuildImage (noarch): free -> open ({Host})",
                $"  {child} tagBuild (noarch): free",
                $"  {child} tagBuild (noarch): free -> open ({Host})",
                $"  {child} tagBuild (noarch): open ({Host}) -> closed",
                "  0 free  1 open  1 done  0 failed",
                $"{task} osbuildImage (noarch): open ({Host}) -> closed",
                "  0 free  0 open  2 done  0 failed",
                "",
                $"{task} osbuildImage (noarch) completed successfully",
            ],
            Lines);
    }

    [Fact]
    public async Task Watch_ShowsTheFaultOfAFailedTask_AsKojiNamesIt_AndReturnsOne()
    {
        var task = fixture.AddOsbuildImage().Id;

        var watch = Watcher().WatchAsync([task], CancellationToken.None);
        await AfterPollAsync(() => fixture.Open(task));
        await AfterPollAsync(() => fixture.Finish(task, TaskState.Failed, fault: (1005, "Compose failed (id: 0b5c)\n")));
        var code = await watch.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal(
            [
                "Watching tasks (this may be safely interrupted)...",
                $"{task} osbuildImage (noarch): free",
                $"{task} osbuildImage (noarch): free -> open ({Host})",
                $"{task} osbuildImage (noarch): open ({Host}) -> FAILED: BuildError: Compose failed (id: 0b5c)",
                "  0 free  0 open  0 done  1 failed",
                "",
                $"{task} osbuildImage (noarch) failed",
            ],
            Lines);
    }

    [Fact]
    public async Task Watch_ShowsACodeOneFault_AsXmlRpcFaultRepr()
    {
        var task = fixture.AddOsbuildImage().Id;
        fixture.Finish(task, TaskState.Failed, fault: (1, "Traceback (most recent call last):\n  File \"x\", line 1\nKeyError: 'arch'\n"));

        var code = await Watcher().WatchAsync([task], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        // Already ended when first seen: no counts line (koji prints it only on a change).
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal(
            [
                "Watching tasks (this may be safely interrupted)...",
                $"{task} osbuildImage (noarch): FAILED: Fault: <Fault 1: 'Traceback (most recent call last):\\n  File \"x\", line 1\\nKeyError: \\'arch\\'\\n'>",
                "",
                $"{task} osbuildImage (noarch) failed",
            ],
            Lines);
    }

    [Fact]
    public async Task Watch_ACanceledTask_WasCanceled_AndReturnsOne()
    {
        var task = fixture.AddOsbuildImage().Id;

        var watch = Watcher().WatchAsync([task], CancellationToken.None);
        await AfterPollAsync(() => fixture.Finish(task, TaskState.Canceled));
        var code = await watch.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal(
            [
                "Watching tasks (this may be safely interrupted)...",
                $"{task} osbuildImage (noarch): free",
                $"{task} osbuildImage (noarch): free -> canceled",
                "  0 free  0 open  1 done  0 failed",
                "",
                $"{task} osbuildImage (noarch) was canceled",
            ],
            Lines);
    }

    [Fact]
    public async Task Watch_Interrupted_ListsTheRunningTasks_AndHowToGoOnWatching()
    {
        var task = fixture.AddOsbuildImage().Id;
        fixture.Open(task);
        using var interrupt = new CancellationTokenSource();

        var watch = Watcher().WatchAsync([task], interrupt.Token);
        await _polls.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        await interrupt.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watch.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(
            [
                "Watching tasks (this may be safely interrupted)...",
                $"{task} osbuildImage (noarch): open ({Host})",
                $"Tasks still running. They go on in Koji; you can continue to watch with 'kojicomposer watch {task}'.",
                "Running Tasks:",
                $"{task} osbuildImage (noarch): open ({Host})",
            ],
            Lines);
    }

    [Fact]
    public async Task Watch_Quiet_PrintsNothing_ButStillReturnsTheOutcome()
    {
        var task = fixture.AddOsbuildImage().Id;
        fixture.Finish(task, TaskState.Failed, fault: (1005, "Compose failed (id: q)"));

        var watcher = Watcher(quiet: true);
        var code = await watcher.WatchAsync([task], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal("", _output.ToString());
        Assert.Equal(TaskState.Failed, (TaskState)(int)watcher.Tasks.Single().Info!.State);
    }

    [Fact]
    public async Task Watch_AnUnknownTask_IsNotFound()
    {
        var error = await Assert.ThrowsAsync<BaseCommand.CliException>(() => Watcher().WatchAsync([999_999], CancellationToken.None));

        Assert.Equal(ExitCodes.NotFound, error.Code);
        Assert.StartsWith("No such task id: 999999 ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_WaitsOutAHubThatStopsAnswering_SaysSoOnStderr_AndLosesNoStateChange()
    {
        var task = fixture.AddOsbuildImage().Id;
        var hub = fixture.Hub.Url.AbsoluteUri;

        var watch = Watcher().WatchAsync([task], CancellationToken.None);
        try
        {
            // The task opens while the hub answers getTaskInfo but no longer getHost (a restart under way).
            await AfterPollAsync(() =>
            {
                fixture.Hub.FailRpcWithStatus = method => method == "getHost" ? 503 : null;
                fixture.Open(task);
            });
            await AfterPollAsync(() => fixture.Hub.FailRpcWithStatus = null);
            await AfterPollAsync(() => fixture.Finish(task, TaskState.Closed, OsbuildImageHub.Result()));
            var code = await watch.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(ExitCodes.Success, code);
        }
        finally
        {
            fixture.Hub.FailRpcWithStatus = null;
        }

        Assert.Equal(
            [
                "Watching tasks (this may be safely interrupted)...",
                $"{task} osbuildImage (noarch): free",
                $"{task} osbuildImage (noarch): free -> open ({Host})",
                $"{task} osbuildImage (noarch): open ({Host}) -> closed",
                "  0 free  0 open  1 done  0 failed",
                "",
                $"{task} osbuildImage (noarch) completed successfully",
            ],
            Lines);
        Assert.Equal(
            [
                $"kojicomposer osbuild-image: koji hub {hub}: getHost: HTTP 503 Service Unavailable: simulated HTTP 503 (gave up after 5 attempts); still watching: asking again every 60 s for up to 10 min (the tasks go on in Koji)",
                $"kojicomposer osbuild-image: koji hub {hub} answers again",
            ],
            _notices.ToString().TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Watch_GivesUp_WhenTheHubHasNotAnsweredForTheOutageLimit_SayingHowToGoOn()
    {
        var task = fixture.AddOsbuildImage().Id;

        var watch = Watcher(outageLimit: TimeSpan.Zero).WatchAsync([task], CancellationToken.None);
        BaseCommand.CliException error;
        try
        {
            await AfterPollAsync(() => fixture.Hub.FailRpcWithStatus = _ => 503);
            error = await Assert.ThrowsAsync<BaseCommand.CliException>(() => watch.WaitAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            fixture.Hub.FailRpcWithStatus = null;
        }

        Assert.Equal(ExitCodes.HubUnreachable, error.Code);
        Assert.Equal(
            $"koji hub {fixture.Hub.Url.AbsoluteUri}: getTaskInfo: HTTP 503 Service Unavailable: simulated HTTP 503 (gave up after 5 attempts); no answer for 0 s, so the watch stops; the tasks go on in Koji: watch again with 'kojicomposer watch {task}'",
            error.Message);
    }

    [Fact]
    public async Task Watch_AHubThatNeverAnswered_IsAnErrorAtOnce()
    {
        var task = fixture.AddOsbuildImage().Id;
        fixture.Hub.FailRpcWithStatus = _ => 503;
        try
        {
            var error = await Assert.ThrowsAsync<HubBridge.Transport.KojiTransportException>(() => Watcher().WatchAsync([task], CancellationToken.None));

            Assert.StartsWith($"koji hub {fixture.Hub.Url.AbsoluteUri}: getTaskInfo: HTTP 503 ", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            fixture.Hub.FailRpcWithStatus = null;
        }
    }
}
