using KojiComposer.HubBridge.Calls;

namespace KojiComposer.HubBridge.Host;

/// <summary>
/// The cancellation watch (koji-wire.md §9.3 step 1, §9.4): every CancelCheckInterval, our OPEN tasks from
/// <c>host.getHostTasks</c> against the ones we run. A running task missing there is looked up with
/// <c>getTaskInfo</c>: CANCELED fires its <see cref="KojiTaskContext.Stopped"/> with
/// <see cref="KojiTaskStopReason.Canceled"/>; FREE, unknown, or given to a host (us included: that is a new
/// assignment, taken afresh once this run ended) fires it with <see cref="KojiTaskStopReason.Lost"/>. The list also
/// tells which tasks wait for subtasks (their weight does not count towards our load).
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
        if (watched.Count == 0)
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
