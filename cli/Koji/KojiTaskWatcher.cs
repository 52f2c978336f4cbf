using KojiComposer.Cli.Commands;
using KojiComposer.HubBridge;
using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Sessions;

namespace KojiComposer.Cli.Koji;

/// <summary>
/// Follows Koji tasks and their subtasks until every one has ended, printing what koji's own CLI prints
/// (koji <c>cli/koji_cli/lib.py</c> <c>watch_tasks</c> and <c>TaskWatcher</c>), so that scripts reading
/// <c>koji osbuild-image</c>'s or <c>koji watch-task</c>'s output read ours the same:
/// <code>
/// Watching tasks (this may be safely interrupted)...
/// 12 osbuildImage (noarch): free
/// 12 osbuildImage (noarch): free -> open (builder1.example.com)
///   13 tagBuild (noarch): open (builder1.example.com)
///   13 tagBuild (noarch): open (builder1.example.com) -> closed
///   0 free  1 open  1 done  0 failed
/// 12 osbuildImage (noarch): open (builder1.example.com) -> closed
///   0 free  0 open  2 done  0 failed
///
/// 12 osbuildImage (noarch) completed successfully
/// </code>
/// Each poll reads every unfinished task (<c>getTaskInfo(id, request=True)</c>) and every task's children
/// (<c>getTaskChildren</c>); a line is printed when a task is first seen and when its state changes (a host
/// change within OPEN is not shown, as in koji); a failed task shows the fault its result raises
/// (<c>FAILED: BuildError: …</c>). Interrupted, it lists the tasks still running and how to go on watching them,
/// then lets the cancellation through. Polls may go out anonymously (koji's CLI logs out before watching).
/// </summary>
internal sealed class KojiTaskWatcher
{
    private readonly KojiCaller _hub;
    private readonly TextWriter _output;
    private readonly TimeSpan _pollInterval;
    private readonly Dictionary<long, WatchedTask> _tasks = [];
    private readonly Dictionary<long, string?> _hostNames = [];

    /// <param name="hub">Where to read the tasks.</param>
    /// <param name="output">Where the lines go (stdout for text, stderr with <c>--format json</c>).</param>
    /// <param name="pollInterval">How long to wait between polls (the profile's <c>poll_interval_seconds</c>).</param>
    public KojiTaskWatcher(KojiCaller hub, TextWriter output, TimeSpan pollInterval)
    {
        _hub = hub;
        _output = output;
        _pollInterval = pollInterval;
    }

    /// <summary>Print nothing while watching (koji's <c>quiet</c>).</summary>
    public bool Quiet { get; init; }

    /// <summary>The command that resumes watching the given top-level tasks, for the message when interrupted.</summary>
    public Func<IReadOnlyList<long>, string> ResumeCommand { get; init; } = ids => "kojicomposer watch " + string.Join(' ', ids);

    /// <summary>Where a line goes when the hub stops answering in the middle of the watch, and when it answers
    /// again (stderr); null: nowhere.</summary>
    public TextWriter? Notices { get; init; }

    /// <summary>What the notices begin with: <c>kojicomposer osbuild-image</c>.</summary>
    public string Command { get; init; } = "kojicomposer";

    /// <summary>How long the hub may go without answering before the watch gives up (koji's CLI tries a call 30
    /// times, 20 s apart). A hub restart or a short outage is waited out: the tasks go on meanwhile.</summary>
    public TimeSpan OutageLimit { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The tasks are known to exist (just created): a hub that stops answering before the first read is
    /// waited out too. Otherwise only a hub that answered once is (a wrong URL is an error at once).</summary>
    public bool TasksExist { get; init; }

    /// <summary>Waits between polls; tests replace it to step through polls.</summary>
    internal Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    /// <summary>The clock the outage limit is measured with.</summary>
    internal TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The tasks seen so far, top-level ones first, subtasks in the order they were found.</summary>
    public IReadOnlyCollection<WatchedTask> Tasks => _tasks.Values;

    /// <summary>Watches until all tasks and their subtasks have ended.</summary>
    /// <returns>0 when every top-level task closed; 1 when one failed or was canceled (koji's return value).</returns>
    /// <exception cref="OperationCanceledException">Interrupted; the tasks go on in Koji (the running ones have
    /// been listed, unless quiet).</exception>
    /// <exception cref="BaseCommand.CliException">A task does not exist (exit code 9); the hub did not answer for
    /// <see cref="OutageLimit"/> (exit code 5).</exception>
    public async Task<int> WatchAsync(IReadOnlyList<long> taskIds, CancellationToken cancellationToken)
    {
        if (taskIds.Count == 0)
        {
            return ExitCodes.Success;
        }

        await PrintAsync("Watching tasks (this may be safely interrupted)...").ConfigureAwait(false);
        var result = ExitCodes.Success;
        long? outageSince = null;
        try
        {
            foreach (var id in taskIds)
            {
                _tasks.TryAdd(id, new WatchedTask(id, 0));
            }

            while (true)
            {
                bool allDone;
                try
                {
                    allDone = await PollAsync(cancellationToken).ConfigureAwait(false);
                    if (outageSince is not null)
                    {
                        outageSince = null;
                        await NoticeAsync($"koji hub {_hub.HubUrl} answers again").ConfigureAwait(false);
                    }
                }
                catch (KojiException e) when (e.IsTransient && (TasksExist || _tasks.Values.Any(t => t.Info is not null)))
                {
                    // Not the first read (a wrong hub URL is an error at once): the hub restarts, or the network is
                    // down for a while. What was printed stays true; the next poll carries on where this one stopped.
                    var now = Time.GetTimestamp();
                    outageSince ??= now;
                    if (Time.GetElapsedTime(outageSince.Value, now) >= OutageLimit)
                    {
                        throw new BaseCommand.CliException(ExitCodes.HubUnreachable,
                            $"{e.Message.ReplaceLineEndings(" ")}; no answer for {Minutes(OutageLimit)}, so the watch stops; the tasks go on in Koji: watch again with '{ResumeCommand(taskIds)}'");
                    }

                    if (outageSince == now)
                    {
                        await NoticeAsync($"{e.Message.ReplaceLineEndings(" ")}; still watching: asking again every {Seconds(_pollInterval)} for up to {Minutes(OutageLimit)} (the tasks go on in Koji)").ConfigureAwait(false);
                    }

                    allDone = false;
                }

                if (allDone)
                {
                    await PrintAsync("").ConfigureAwait(false);
                    await PrintResultsAsync().ConfigureAwait(false);
                    return result;
                }

                await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
                await Delay(_pollInterval, cancellationToken).ConfigureAwait(false);
            }

            // One round of watch_tasks' loop: true when every task has ended.
            async Task<bool> PollAsync(CancellationToken ct)
            {
                var allDone = true;
                foreach (var task in _tasks.Values.ToList())
                {
                    var changed = await UpdateAsync(task, ct).ConfigureAwait(false);
                    if (!task.IsDone)
                    {
                        allDone = false;
                    }
                    else
                    {
                        if (changed)
                        {
                            await PrintStatusCountsAsync().ConfigureAwait(false);
                        }

                        if (task.Level == 0 && !task.IsSuccess)
                        {
                            result = ExitCodes.Failure;
                        }
                    }

                    foreach (var child in await _hub.GetTaskChildrenAsync(task.Id, cancellationToken: ct).ConfigureAwait(false))
                    {
                        if (!_tasks.ContainsKey(child.Id))
                        {
                            var watched = new WatchedTask(child.Id, task.Level + 1);
                            _tasks.Add(child.Id, watched);
                            await UpdateAsync(watched, ct).ConfigureAwait(false);
                            // Found a new child: look again, it may have children of its own.
                            allDone = false;
                        }
                    }
                }

                return allDone;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await PrintInterruptedAsync(taskIds).ConfigureAwait(false);
            throw;
        }
    }

    private static string Seconds(TimeSpan time) => $"{time.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} s";

    private static string Minutes(TimeSpan time) => time.TotalMinutes >= 1
        ? $"{time.TotalMinutes.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} min"
        : Seconds(time);

    private async Task NoticeAsync(string text)
    {
        if (Notices is not null)
        {
            await Notices.WriteLineAsync($"{Command}: {text}").ConfigureAwait(false);
        }
    }

    // TaskWatcher.update: reads the task unless it has ended; prints it when first seen or when its state changed.
    private async Task<bool> UpdateAsync(WatchedTask task, CancellationToken cancellationToken)
    {
        if (task.IsDone)
        {
            return false;
        }

        var last = task.Info;
        var info = await _hub.GetTaskInfoAsync(task.Id, request: true, cancellationToken).ConfigureAwait(false)
            ?? throw new BaseCommand.CliException(ExitCodes.NotFound, $"No such task id: {task.Id} (check the id, and that the profile names the hub the task is on)");
        if (last is not null && last.State == info.State)
        {
            task.Info = info;
            return false;
        }

        // The line is made before the task takes its new state: when a call for it (getHost, getTaskResult) fails,
        // the task stays as it was and the next poll prints the change.
        task.Info = info;
        string line;
        try
        {
            line = last is null
                ? $"{task}: {await DisplayStateAsync(task, info, cancellationToken).ConfigureAwait(false)}"
                : $"{task}: {await DisplayStateAsync(task, last, cancellationToken).ConfigureAwait(false)} -> {await DisplayStateAsync(task, info, cancellationToken).ConfigureAwait(false)}";
        }
        catch
        {
            task.Info = last;
            throw;
        }

        await PrintAsync(line).ConfigureAwait(false);
        return last is not null;
    }

    // TaskWatcher.display_state: "open (host)", "FAILED: BuildError: …", or the state's name.
    private async Task<string> DisplayStateAsync(WatchedTask task, KojiTaskInfo? info, CancellationToken cancellationToken)
    {
        if (Quiet)
        {
            return ""; // nothing is printed: koji makes no calls for it either
        }

        switch (info?.State)
        {
            case null:
                return "unknown";
            case KojiTaskState.Open or KojiTaskState.Assigned:
                var state = info.State.ToString().ToLowerInvariant();
                return info.HostId is { } host and not 0
                    ? $"{state} ({await HostNameAsync(host, cancellationToken).ConfigureAwait(false)})"
                    : state;
            case KojiTaskState.Failed:
                return "FAILED: " + await FailureAsync(task, cancellationToken).ConfigureAwait(false);
            default:
                return info.State.ToString().ToLowerInvariant();
        }
    }

    // TaskWatcher.get_failure: the fault getTaskResult raises, as koji names it ("BuildError: text"; codes koji has
    // no class for, and code 1, as xmlrpc.client's "Fault: <Fault 1: 'text'>"); empty when it raises none.
    private async Task<string> FailureAsync(WatchedTask task, CancellationToken cancellationToken)
    {
        if (task.Failure is null)
        {
            try
            {
                await _hub.GetTaskResultAsync(task.Id, cancellationToken).ConfigureAwait(false);
                return "";
            }
            catch (KojiFaultException fault) when (fault is not KojiServerOfflineFault)
            {
                // ServerOffline is the hub's state, not the task's: the poll is tried again.
                task.Failure = fault;
            }
        }

        return Describe(task.Failure!);
    }

    /// <summary>A fault as koji's CLI prints an exception: <c>BuildError: Compose failed (id: …)</c>.</summary>
    public static string Describe(KojiFaultException fault)
    {
        var text = fault.FaultName == "Fault"
            ? $"<Fault {fault.FaultCode}: {PythonRepr.String(fault.FaultString)}>"
            : fault.FaultString;
        return $"{fault.FaultName}: {PythonValues.Strip(text)}";
    }

    private async Task<string> HostNameAsync(long hostId, CancellationToken cancellationToken)
    {
        // koji asks for the host on every line; the name of a host does not change while we watch.
        if (!_hostNames.TryGetValue(hostId, out var name))
        {
            name = (await _hub.GetHostAsync(hostId, cancellationToken).ConfigureAwait(false))?.Name;
            _hostNames[hostId] = name;
        }

        return name ?? $"host {hostId}";
    }

    // display_tasklist_status, after a task ended.
    private Task PrintStatusCountsAsync()
    {
        int free = 0, open = 0, done = 0, failed = 0;
        foreach (var task in _tasks.Values)
        {
            switch (task.Info?.State)
            {
                case KojiTaskState.Failed: failed++; break;
                case KojiTaskState.Closed or KojiTaskState.Canceled: done++; break;
                case KojiTaskState.Open or KojiTaskState.Assigned: open++; break;
                case KojiTaskState.Free: free++; break;
            }
        }

        return PrintAsync($"  {free} free  {open} open  {done} done  {failed} failed");
    }

    // display_task_results: one line per top-level task.
    private async Task PrintResultsAsync()
    {
        foreach (var task in _tasks.Values.Where(t => t.Level == 0))
        {
            var outcome = task.Info?.State switch
            {
                KojiTaskState.Closed => "completed successfully",
                KojiTaskState.Failed => "failed",
                KojiTaskState.Canceled => "was canceled",
                _ => "has not completed",
            };
            await PrintAsync($"{task} {outcome}").ConfigureAwait(false);
        }
    }

    // watch_tasks' KeyboardInterrupt handler, with our command to go on watching.
    private async Task PrintInterruptedAsync(IReadOnlyList<long> taskIds)
    {
        if (Quiet || _tasks.Count == 0)
        {
            return;
        }

        // The interrupted token cannot carry more calls; a host name not seen yet is fetched within a short time.
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var running = new List<string>();
        foreach (var task in _tasks.Values.Where(t => !t.IsDone))
        {
            string state;
            try
            {
                state = await DisplayStateAsync(task, task.Info, grace.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or KojiException)
            {
                state = task.Info?.State.ToString().ToLowerInvariant() ?? "unknown";
            }

            running.Add($"{task}: {state}");
        }

        await _output.WriteLineAsync($"Tasks still running. They go on in Koji; you can continue to watch with '{ResumeCommand(taskIds)}'.").ConfigureAwait(false);
        await _output.WriteLineAsync("Running Tasks:").ConfigureAwait(false);
        foreach (var line in running)
        {
            await _output.WriteLineAsync(line).ConfigureAwait(false);
        }

        await _output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private Task PrintAsync(string line) => Quiet ? Task.CompletedTask : _output.WriteLineAsync(line);
}

/// <summary>One task the watcher follows.</summary>
internal sealed class WatchedTask(long id, int level)
{
    public long Id { get; } = id;

    /// <summary>0 for a task asked for; 1 for its subtasks, and so on (two spaces of indent each).</summary>
    public int Level { get; } = level;

    /// <summary>The latest getTaskInfo; null until the first read.</summary>
    public KojiTaskInfo? Info { get; internal set; }

    /// <summary>The fault a failed task's result raises, once read.</summary>
    public KojiFaultException? Failure { get; internal set; }

    public bool IsDone => Info?.State is KojiTaskState.Closed or KojiTaskState.Canceled or KojiTaskState.Failed;

    public bool IsSuccess => Info?.State == KojiTaskState.Closed;

    /// <summary>koji's task label: <c>method (arch)</c> (the methods we watch have no extra label details).</summary>
    public string? Label => Info is null ? null : $"{Info.Method} ({Info.Arch})";

    /// <summary><c>"  13 tagBuild (noarch)"</c>: indent, id and label, as koji's <c>TaskWatcher.str</c>.</summary>
    public override string ToString() =>
        new string(' ', 2 * Level) + (Label is null ? Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{Id} {Label}");
}
