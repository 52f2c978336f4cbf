using KojiComposer.HubBridge.Calls;

namespace KojiComposer.HubBridge.Host;

/// <summary>
/// The cancellation watch (koji-wire.md §9.3 step 1, §9.4): every CancelCheckInterval, our OPEN tasks from
/// <c>host.getHostTasks</c> against the ones we run. A running task missing there is looked up with
/// <c>getTaskInfo</c>: CANCELED fires its <see cref="KojiTaskContext.Stopped"/> with
/// <see cref="KojiTaskStopReason.Canceled"/>; FREE, unknown, or given to a host (us included: that is a new
/// assignment, taken afresh once this run ended) fires it with <see cref="KojiTaskStopReason.Lost"/>. The list also
/// tells which tasks wait for subtasks (their weight does not count towards our load), and which tasks are OPEN for
/// us with nothing here running them: those are adopted (<see cref="AdoptOrphansAsync"/>).
/// </summary>
public sealed partial class KojiHostLoop
{
    private async Task WatchLoopAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var delay = _options.CancelCheckInterval;
            try
            {
                await WatchOnceAsync(cancellationToken).ConfigureAwait(false);
                failures = 0;
                Succeeded(Activity.Watch);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                var backoff = Backoff(++failures);
                delay = backoff < delay ? delay : backoff;
                Failed(Activity.Watch, e, delay);
            }

            if (!await PauseAsync(delay, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private async Task WatchOnceAsync(CancellationToken cancellationToken)
    {
        // Taken before the call: a task opened after it is surely in the reply, and one opened later is not checked.
        var watched = RunningSnapshot().Where(r => r.Reason == KojiTaskStopReason.None).ToList();
        if (watched.Count == 0 && !Adopting)
        {
            return;
        }

        var open = (await ControlAsync((s, ct) => s.GetHostTasksAsync(ct), cancellationToken).ConfigureAwait(false))
            .ToDictionary(t => t.Id);
        foreach (var run in watched)
        {
            if (open.TryGetValue(run.Id, out var listed))
            {
                run.Waiting = listed.Waiting;
                continue;
            }

            var info = await ControlAsync((s, ct) => s.GetTaskInfoAsync(run.Id, request: false, ct), cancellationToken).ConfigureAwait(false);
            switch (info)
            {
                case { State: KojiTaskState.Canceled }:
                    if (run.Stop(KojiTaskStopReason.Canceled))
                    {
                        Log.HostTaskCanceled(_logger, _hub, run.Id, run.Method);
                    }

                    break;
                case { State: KojiTaskState.Open } when info.HostId == _hostId:
                case { State: KojiTaskState.Closed or KojiTaskState.Failed }:
                    break; // still ours after all, or our own close/fail just landed
                default:
                    if (run.Stop(KojiTaskStopReason.Lost))
                    {
                        Log.HostTaskLost(_logger, _hub, run.Id, run.Method, Describe(info));
                    }

                    break;
            }
        }

        if (Adopting)
        {
            await AdoptOrphansAsync([.. open.Keys], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Open tasks nothing runs are adopted only once the start-up reconciliation is done, and not while
    /// stopping (a stopping run leaves its task OPEN on purpose, for the next start).</summary>
    private bool Adopting => _accepting && !_shuttingDown && !_stopping.IsCancellationRequested;

    /// <summary>
    /// Tasks OPEN for us that nothing here runs: an openTask whose reply was lost and whose check could not reach the
    /// hub (the poll never sees the task again, as host.getTasks lists only ASSIGNED ones), or a run that ended
    /// without its outcome written. Each is run (the handler resumes its work from its own records) or, without a
    /// handler, freed. A task adopted again and again (its outcome keeps being refused) waits a growing backoff.
    /// </summary>
    private async Task AdoptOrphansAsync(IReadOnlyList<long> open, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        List<long> candidates;
        lock (_sync)
        {
            foreach (var gone in _adoptions.Keys.Except(open).ToList())
            {
                _adoptions.Remove(gone);
            }

            candidates = [.. open.Where(id => !_running.ContainsKey(id) && !_taking.Contains(id)
                                             && !(_adoptions.TryGetValue(id, out var earlier) && earlier.NotBefore > now)).Order()];
        }

        foreach (var id in candidates)
        {
            if (!Adopting || !TryClaim(id))
            {
                continue;
            }

            try
            {
                await AdoptAsync(id, now, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Unclaim(id);
            }
        }
    }

    private async Task AdoptAsync(long id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Read after the claim: a run that ended before it had written its close or fail, so this shows it.
        var info = await ControlAsync((s, ct) => s.GetTaskInfoAsync(id, request: true, ct), cancellationToken).ConfigureAwait(false);
        if (info is not { State: KojiTaskState.Open } || info.HostId != _hostId)
        {
            return;
        }

        bool resumed;
        lock (_sync)
        {
            var count = _adoptions.TryGetValue(id, out var earlier) ? earlier.Count + 1 : 1;
            _adoptions[id] = (count, now + Backoff(count));
            resumed = _ranBefore.Contains(id);
        }

        if (!_handlers.TryGetValue(info.Method, out var handler))
        {
            await ControlAsync((s, ct) => s.FreeTasksAsync([id], ct), cancellationToken).ConfigureAwait(false);
            Log.HostOrphanFreed(_logger, _hub, id, info.Method);
            return;
        }

        // Recorded again (idempotent; a record the journal had finished as released is revived); OpenedAsync runs
        // in the run, as after a take.
        await _journal.ReceivedAsync(info, cancellationToken).ConfigureAwait(false);
        Log.HostTaskAdopted(_logger, _hub, id, info.Method);
        Start(new RunningTask(info, handler, resumed, recordOpened: true), _stopping);
    }

    /// <summary>A task's state and host, for messages: <c>FREE</c>, <c>OPEN on host 3</c>, <c>unknown to the hub</c>.</summary>
    private string Describe(KojiTaskInfo? info) => info switch
    {
        null => "unknown to the hub",
        { HostId: { } host } when info.State is KojiTaskState.Open or KojiTaskState.Assigned =>
            $"{info.State.ToString().ToUpperInvariant()} on {(host == _hostId ? "our host" : $"host {host}")}",
        _ => info.State.ToString().ToUpperInvariant(),
    };
}
