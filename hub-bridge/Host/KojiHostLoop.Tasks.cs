using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Faults;

namespace KojiComposer.HubBridge.Host;

/// <summary>
/// One task's run: the journal's <see cref="IKojiTaskJournal.OpenedAsync"/>, <c>host.setTaskWeight</c>, the
/// handler, then its outcome to the hub (koji-wire.md §9.5) and to the journal. Each run is its own
/// <see cref="Task"/>; the loop never starts a second run of a task while one is in <see cref="_running"/>.
/// </summary>
public sealed partial class KojiHostLoop
{
    private const string ShutdownReason = "the host is shutting down";

    /// <summary>Starts a run unless one of the same task is running (false).</summary>
    private bool Start(RunningTask run, CancellationToken stopping)
    {
        lock (_sync)
        {
            if (!_running.TryAdd(run.Id, run))
            {
                run.Dispose();
                return false;
            }

            _ranBefore.Add(run.Id);
            run.Completion = Task.Run(() => RunTaskAsync(run, stopping), CancellationToken.None);
            PublishStatus();
            return true;
        }
    }

    private async Task RunTaskAsync(RunningTask run, CancellationToken stopping)
    {
        try
        {
            if (run.RecordOpened &&
                !await JournalAsync("OpenedAsync", run.Id, ct => _journal.OpenedAsync(run.Id, ct), stopping).ConfigureAwait(false))
            {
                return; // stopping: the journal has the task as received, the hub as OPEN for us; the next start resumes it
            }

            if (!run.StoppedBeforeStart)
            {
                await SetWeightAsync(run, stopping).ConfigureAwait(false);
            }

            if (run.Resumed)
            {
                Log.HostTaskResumed(_logger, _hub, run.Id, run.Method);
            }
            else
            {
                Log.HostTaskOpened(_logger, _hub, run.Id, run.Method, run.Handler.Weight);
            }

            var outcome = await InvokeHandlerAsync(run, stopping).ConfigureAwait(false);
            await ReportAsync(run, outcome, stopping).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Only a stop ends up here (the steps above handle their own errors); the task stays as it is.
            Log.HostTaskAbandoned(_logger, _hub, run.Id, run.Method, stopping.IsCancellationRequested ? ShutdownReason : e.Message);
        }
        finally
        {
            lock (_sync)
            {
                _running.Remove(run.Id);
                PublishStatus();
            }

            run.Dispose();
        }
    }

    /// <summary>host.setTaskWeight: advisory (the hub's load figures), so a failure is logged, not fatal.</summary>
    private async Task SetWeightAsync(RunningTask run, CancellationToken stopping)
    {
        try
        {
            await ControlAsync((s, ct) => s.SetTaskWeightAsync(run.Id, run.Handler.Weight, ct), stopping).ConfigureAwait(false);
        }
        catch (KojiException e) when (!stopping.IsCancellationRequested)
        {
            Log.HostTaskWeightFailed(_logger, _hub, run.Id, run.Handler.Weight, e.Message);
        }
    }

    private async Task<KojiTaskOutcome> InvokeHandlerAsync(RunningTask run, CancellationToken stopping)
    {
        var context = new KojiTaskContext
        {
            TaskId = run.Id,
            Task = run.Info,
            HostId = _hostId,
            Session = _master,
            Resumed = run.Resumed,
            Stopped = run.Stopped,
            StopReasonSource = () => run.Reason,
        };
        KojiTaskOutcome outcome;
        try
        {
            outcome = await run.Handler.RunAsync(context, stopping).ConfigureAwait(false)
                ?? throw new InvalidOperationException("it returned no outcome");
        }
        catch (Exception e) when (stopping.IsCancellationRequested || run.Reason != KojiTaskStopReason.None)
        {
            var why = run.Reason != KojiTaskStopReason.None ? run.Reason.ToString().ToLowerInvariant() : "shutdown";
            if (e is not OperationCanceledException)
            {
                Log.HostHandlerThrewWhileStopping(_logger, _hub, run.Id, run.Method, why, e.Message);
            }

            outcome = run.Reason switch
            {
                KojiTaskStopReason.Canceled => new KojiTaskOutcome.Canceled(),
                KojiTaskStopReason.Lost => new KojiTaskOutcome.Abandoned("no longer ours"),
                _ => new KojiTaskOutcome.Abandoned(ShutdownReason),
            };
        }
        catch (Exception e)
        {
            Log.HostHandlerThrew(_logger, e, _hub, run.Id, run.Method);
            outcome = new KojiTaskOutcome.Failed(KojiFaults.GenericError, $"{run.Method} handler failed: {e.Message}");
        }

        // A task Koji canceled before the handler ran: the handler only stopped its work; nothing else is written.
        return run.StoppedBeforeStart ? new KojiTaskOutcome.Canceled() : outcome;
    }

    /// <summary>Tells the hub (close, fail, or nothing) and then the journal.</summary>
    private async Task ReportAsync(RunningTask run, KojiTaskOutcome outcome, CancellationToken stopping)
    {
        KojiTaskOutcome? finished;
        switch (outcome)
        {
            case KojiTaskOutcome.Closed closed:
                finished = await WriteOutcomeAsync(run, closed, stopping).ConfigureAwait(false);
                break;
            case KojiTaskOutcome.Failed failed:
                finished = await WriteOutcomeAsync(run, failed, stopping).ConfigureAwait(false);
                break;
            case KojiTaskOutcome.Canceled:
                finished = outcome;
                break;
            case KojiTaskOutcome.Abandoned abandoned when stopping.IsCancellationRequested && run.Reason == KojiTaskStopReason.None:
                // Not reported anywhere: the task stays OPEN for us and the next start resumes it.
                Log.HostTaskAbandoned(_logger, _hub, run.Id, run.Method, abandoned.Reason);
                return;
            case KojiTaskOutcome.Abandoned abandoned:
                Log.HostTaskAbandoned(_logger, _hub, run.Id, run.Method, abandoned.Reason);
                finished = outcome;
                break;
            default:
                throw new InvalidOperationException($"unknown task outcome {outcome}");
        }

        if (finished is not null)
        {
            await FinishInJournalAsync(run.Id, finished, stopping).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// host.closeTask / host.failTask, again after transient errors (with backoff) until written or stopping (null:
    /// not written; the task stays OPEN and is resumed at the next start). A refusal is looked into with
    /// getTaskInfo: canceled meanwhile → <see cref="KojiTaskOutcome.Canceled"/>; finished that way already (the
    /// session's check after a lost reply) → the outcome; a result the hub would not store on a task still ours →
    /// the task fails with that refusal instead of staying OPEN; anything else → abandoned.
    /// </summary>
    private async Task<KojiTaskOutcome?> WriteOutcomeAsync(RunningTask run, KojiTaskOutcome outcome, CancellationToken stopping)
    {
        var method = outcome is KojiTaskOutcome.Closed ? "host.closeTask" : "host.failTask";
        for (var failures = 0; ;)
        {
            try
            {
                await ControlAsync((s, ct) => outcome switch
                {
                    KojiTaskOutcome.Closed c => s.CloseTaskAsync(run.Id, c.Result, ct),
                    KojiTaskOutcome.Failed f => s.FailTaskAsync(run.Id, f.FaultCode, f.FaultString, ct),
                    _ => throw new InvalidOperationException($"{outcome} is not written to the hub"),
                }, CancellationToken.None).ConfigureAwait(false);
                LogWritten(run, outcome);
                Succeeded(Activity.Report);
                return outcome;
            }
            catch (KojiException e) when (e.IsTransient)
            {
                if (stopping.IsCancellationRequested)
                {
                    Log.HostTaskAbandoned(_logger, _hub, run.Id, run.Method, $"{method} not written before the stop: {e.Message}");
                    return null;
                }

                var delay = Backoff(++failures);
                Failed(Activity.Report, e, delay, log: false);
                Log.HostOutcomeRetrying(_logger, _hub, method, run.Id, (long)delay.TotalMilliseconds, e.Message);
                if (!await PauseAsync(delay, stopping).ConfigureAwait(false))
                {
                    return null;
                }
            }
            catch (KojiException e)
            {
                return await AfterRefusalAsync(run, outcome, method, e, stopping).ConfigureAwait(false);
            }
        }
    }

    private async Task<KojiTaskOutcome?> AfterRefusalAsync(RunningTask run, KojiTaskOutcome outcome, string method, KojiException refusal, CancellationToken stopping)
    {
        var (found, task) = await ReadUntilDoneAsync(ct => ControlAsync((s, c) => s.GetTaskInfoAsync(run.Id, request: false, c), ct), stopping).ConfigureAwait(false);
        if (!found)
        {
            return null; // stopping
        }

        Log.HostOutcomeRefused(_logger, _hub, method, run.Id, refusal.Message, Describe(task));
        switch (task)
        {
            case { State: KojiTaskState.Canceled }:
                Log.HostTaskCanceled(_logger, _hub, run.Id, run.Method);
                return new KojiTaskOutcome.Canceled();
            case { State: KojiTaskState.Closed } when outcome is KojiTaskOutcome.Closed:
            case { State: KojiTaskState.Failed } when outcome is KojiTaskOutcome.Failed:
                LogWritten(run, outcome);
                return outcome;
            case { State: KojiTaskState.Open } when task.HostId == _hostId && outcome is KojiTaskOutcome.Closed:
                var code = refusal is KojiFaultException fault ? fault.FaultCode : KojiFaults.GenericError;
                return await WriteOutcomeAsync(run, new KojiTaskOutcome.Failed(code, $"the hub refused the task's result: {refusal.Message}"), stopping).ConfigureAwait(false);
            default:
                return new KojiTaskOutcome.Abandoned($"{method} was refused ({refusal.Message}); the task is {Describe(task)}");
        }
    }

    private void LogWritten(RunningTask run, KojiTaskOutcome outcome)
    {
        if (outcome is KojiTaskOutcome.Failed failed)
        {
            Log.HostTaskFailed(_logger, _hub, run.Id, run.Method, KojiFaults.NameOf(failed.FaultCode), failed.FaultCode, failed.FaultString);
        }
        else
        {
            Log.HostTaskClosed(_logger, _hub, run.Id, run.Method);
        }
    }

    /// <summary>A hub read, again after transient errors until it answers; Found false when the loop stopped first.</summary>
    private async Task<(bool Found, T Value)> ReadUntilDoneAsync<T>(Func<CancellationToken, Task<T>> read, CancellationToken stopping)
    {
        for (var failures = 0; ;)
        {
            try
            {
                return (true, await read(CancellationToken.None).ConfigureAwait(false));
            }
            catch (KojiException e) when (e.IsTransient)
            {
                var delay = Backoff(++failures);
                Failed(Activity.Report, e, delay);
                if (stopping.IsCancellationRequested || !await PauseAsync(delay, stopping).ConfigureAwait(false))
                {
                    return (false, default!);
                }
            }
        }
    }

    /// <summary><see cref="IKojiTaskJournal.FinishedAsync"/>, retried until done or stopping.</summary>
    private Task<bool> FinishInJournalAsync(long taskId, KojiTaskOutcome outcome, CancellationToken stopping) =>
        JournalAsync("FinishedAsync", taskId, ct => _journal.FinishedAsync(taskId, outcome, ct), stopping);

    /// <summary>
    /// A journal step, again with backoff after any error until it succeeds (true) or the loop stops (false). Each
    /// attempt runs to its end even during the stop (the journal's own timeouts bound it): a task finished during
    /// the stop is still recorded when it can be.
    /// </summary>
    private async Task<bool> JournalAsync(string step, long taskId, Func<CancellationToken, Task> action, CancellationToken stopping)
    {
        for (var failures = 0; ;)
        {
            try
            {
                await action(CancellationToken.None).ConfigureAwait(false);
                Succeeded(Activity.Journal);
                return true;
            }
            catch (Exception e)
            {
                var delay = Backoff(++failures);
                if (failures == 1)
                {
                    Log.HostJournalFailed(_logger, _hub, step, taskId, e.Message);
                }

                Failed(Activity.Journal, e, delay, log: false);
                if (stopping.IsCancellationRequested || !await PauseAsync(delay, stopping).ConfigureAwait(false))
                {
                    return false;
                }
            }
        }
    }
}
