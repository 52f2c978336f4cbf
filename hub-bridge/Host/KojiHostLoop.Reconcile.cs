using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Faults;

namespace KojiComposer.HubBridge.Host;

/// <summary>
/// Start-up (koji-wire.md §9.2 step 4): the journal's unfinished tasks against the hub's. OPEN for us → resumed;
/// CANCELED → the handler runs already stopped (so it can stop its work, e.g. refund a build), then the journal
/// records the cancellation; CLOSED/FAILED → recorded with the hub's result; FREE or another host's → abandoned;
/// ASSIGNED to us → left to the poll. A task OPEN for us that the journal does not know is recorded and resumed
/// when we have its handler, and freed for another host otherwise. Retried as a whole until it succeeds: each step
/// is idempotent, and a task already resumed by an earlier attempt is skipped.
/// </summary>
public sealed partial class KojiHostLoop
{
    /// <summary>False when the loop stopped first.</summary>
    private async Task<bool> ReconcileAsync(CancellationToken stopping)
    {
        for (var failures = 0; ;)
        {
            try
            {
                await ReconcileOnceAsync(stopping).ConfigureAwait(false);
                Succeeded(Activity.Reconcile);
                return true;
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception e)
            {
                if (!await PauseAfterFailureAsync(Activity.Reconcile, e, ++failures, stopping).ConfigureAwait(false))
                {
                    return false;
                }
            }
        }
    }

    private async Task ReconcileOnceAsync(CancellationToken stopping)
    {
        var unfinished = (await _journal.UnfinishedAsync(stopping).ConfigureAwait(false)).Distinct().Order().ToList();
        var open = (await ControlAsync((s, ct) => s.GetHostTasksAsync(ct), stopping).ConfigureAwait(false)).Select(t => t.Id).ToHashSet();
        foreach (var id in unfinished)
        {
            if (!IsRunning(id))
            {
                await ReconcileJournalTaskAsync(id, stopping).ConfigureAwait(false);
            }
        }

        foreach (var id in open.Except(unfinished).Order())
        {
            if (IsRunning(id))
            {
                continue;
            }

            var info = await ControlAsync((s, ct) => s.GetTaskInfoAsync(id, request: true, ct), stopping).ConfigureAwait(false);
            if (info is not { State: KojiTaskState.Open } || info.HostId != _hostId)
            {
                continue; // no longer ours since the list was taken
            }

            if (_handlers.TryGetValue(info.Method, out var handler))
            {
                await _journal.ReceivedAsync(info, stopping).ConfigureAwait(false);
                await _journal.OpenedAsync(id, stopping).ConfigureAwait(false);
                Start(new RunningTask(info, handler, resumed: true, recordOpened: false), stopping);
            }
            else
            {
                await ControlAsync((s, ct) => s.FreeTasksAsync([id], ct), stopping).ConfigureAwait(false);
                Log.HostTaskFreed(_logger, _hub, id, info.Method);
            }
        }
    }

    private async Task ReconcileJournalTaskAsync(long id, CancellationToken stopping)
    {
        var info = await ControlAsync((s, ct) => s.GetTaskInfoAsync(id, request: true, ct), stopping).ConfigureAwait(false);
        var handler = info is null ? null : _handlers.GetValueOrDefault(info.Method);
        KojiTaskOutcome outcome;
        switch (info)
        {
            case { State: KojiTaskState.Open } when info.HostId == _hostId:
                if (handler is not null)
                {
                    // The journal may have it as received only (a stop between openTask and OpenedAsync).
                    Start(new RunningTask(info, handler, resumed: true, recordOpened: true), stopping);
                    return;
                }

                await ControlAsync((s, ct) => s.FreeTasksAsync([id], ct), stopping).ConfigureAwait(false);
                Log.HostTaskFreed(_logger, _hub, id, info.Method);
                outcome = new KojiTaskOutcome.Abandoned($"no handler for method {info.Method} any more; freed for another host");
                break;
            case { State: KojiTaskState.Assigned } when info.HostId == _hostId:
                return; // the poll takes it (its ReceivedAsync is idempotent)
            case { State: KojiTaskState.Canceled }:
                if (handler is not null)
                {
                    var run = new RunningTask(info, handler, resumed: true, recordOpened: false) { StoppedBeforeStart = true };
                    run.Stop(KojiTaskStopReason.Canceled);
                    Log.HostTaskCanceled(_logger, _hub, id, info.Method);
                    Start(run, stopping); // its report records the cancellation in the journal
                    return;
                }

                outcome = new KojiTaskOutcome.Canceled();
                break;
            case { State: KojiTaskState.Closed or KojiTaskState.Failed }:
                outcome = await FinishedOutcomeAsync(info, stopping).ConfigureAwait(false);
                break;
            default:
                outcome = new KojiTaskOutcome.Abandoned($"task {id} is {Describe(info)}");
                break;
        }

        await _journal.FinishedAsync(id, outcome, stopping).ConfigureAwait(false);
        Log.HostTaskReconciled(_logger, _hub, id, Describe(info), OutcomeName(outcome));
    }

    /// <summary>A finished task's outcome from its stored result: getTaskResult's value, or the fault it raises.</summary>
    private async Task<KojiTaskOutcome> FinishedOutcomeAsync(KojiTaskInfo info, CancellationToken stopping)
    {
        try
        {
            var result = await ControlAsync((s, ct) => s.GetTaskResultAsync(info.Id, ct), stopping).ConfigureAwait(false);
            return info.State == KojiTaskState.Closed
                ? new KojiTaskOutcome.Closed(result)
                : new KojiTaskOutcome.Failed(KojiFaults.GenericError, "the task failed without a fault");
        }
        catch (KojiFaultException fault) when (!fault.IsTransient)
        {
            return info.State == KojiTaskState.Failed
                ? new KojiTaskOutcome.Failed(fault.FaultCode, fault.FaultString)
                : new KojiTaskOutcome.Closed(null); // closed with a result the hub cannot read back
        }
    }

    private static string OutcomeName(KojiTaskOutcome outcome) => outcome switch
    {
        KojiTaskOutcome.Closed => "closed",
        KojiTaskOutcome.Failed f => $"failed ({KojiFaults.NameOf(f.FaultCode)}: {f.FaultString})",
        KojiTaskOutcome.Canceled => "canceled",
        KojiTaskOutcome.Abandoned a => $"abandoned ({a.Reason})",
        _ => outcome.ToString(),
    };
}
