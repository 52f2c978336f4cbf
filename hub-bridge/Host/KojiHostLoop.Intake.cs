using KojiComposer.HubBridge.Calls;

namespace KojiComposer.HubBridge.Host;

/// <summary>
/// The poll (koji-wire.md §9.3 steps 3-7): every PollInterval, <c>host.getTasks</c>, and for each task ASSIGNED to
/// us: refuse what we have no handler for (hard, so another host gets it) or have no room for (soft; never a
/// <c>tagBuild</c>, whose parent waits for it), skip what runs already, and take the rest:
/// <c>getTaskInfo(request=True)</c> → <see cref="IKojiTaskJournal.ReceivedAsync"/> → <c>host.openTask</c> → the
/// run (<see cref="IKojiTaskJournal.OpenedAsync"/>, <c>host.setTaskWeight</c>, the handler). The hub assigns nothing
/// new while a task of ours is ASSIGNED, so every one is opened or refused in the same round.
/// </summary>
public sealed partial class KojiHostLoop
{
    private const string NoHandlerMessage = "no handler for method";

    private async Task PollLoopAsync(CancellationToken stopping)
    {
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            TimeSpan delay;
            try
            {
                await PollOnceAsync(stopping).ConfigureAwait(false);
                failures = 0;
                delay = _options.PollInterval;
                Succeeded(Activity.Poll);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                delay = Backoff(++failures);
                Failed(Activity.Poll, e, delay);
            }

            if (!await PauseAsync(delay, stopping).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>One round; a journal that fails for a task leaves it ASSIGNED for the next round and fails the round.</summary>
    private async Task PollOnceAsync(CancellationToken stopping)
    {
        var assigned = await ControlAsync((s, ct) => s.GetAssignedTasksAsync(ct), stopping).ConfigureAwait(false);
        Exception? journalError = null;
        foreach (var task in assigned)
        {
            stopping.ThrowIfCancellationRequested();
            if (!_handlers.TryGetValue(task.Method, out var handler))
            {
                await RefuseAsync(task, soft: false, NoHandlerMessage, stopping).ConfigureAwait(false);
                continue;
            }

            if (IsRunning(task.Id))
            {
                continue; // an earlier run is still stopping; the task comes back next round
            }

            var (_, _, count) = Load();
            if (count >= _options.MaxTasks && !string.Equals(task.Method, TagBuildMethod, StringComparison.Ordinal))
            {
                await RefuseAsync(task, soft: true, $"{_hostName} is at capacity ({count} tasks)", stopping).ConfigureAwait(false);
                continue;
            }

            journalError = await TakeAsync(task, handler, stopping).ConfigureAwait(false) ?? journalError;
        }

        if (journalError is not null)
        {
            throw journalError;
        }
    }

    private async Task RefuseAsync(KojiAssignedTask task, bool soft, string message, CancellationToken cancellationToken)
    {
        await ControlAsync((s, ct) => s.RefuseTaskAsync(task.Id, soft, message, ct), cancellationToken).ConfigureAwait(false);
        Log.HostTaskRefused(_logger, _hub, task.Id, task.Method, soft ? "soft" : "hard", message);
    }

    /// <summary>Records, opens and starts one task; returns the journal's error when it could not record it.</summary>
    private async Task<Exception?> TakeAsync(KojiAssignedTask task, IKojiTaskHandler handler, CancellationToken stopping)
    {
        if (!TryClaim(task.Id))
        {
            return null; // the watch is adopting it, or a run started meanwhile
        }

        try
        {
            return await TakeClaimedAsync(task, handler, stopping).ConfigureAwait(false);
        }
        finally
        {
            Unclaim(task.Id);
        }
    }

    private async Task<Exception?> TakeClaimedAsync(KojiAssignedTask task, IKojiTaskHandler handler, CancellationToken stopping)
    {
        Log.HostTaskTaken(_logger, _hub, task.Id, task.Method);
        var info = await ControlAsync((s, ct) => s.GetTaskInfoAsync(task.Id, request: true, ct), stopping).ConfigureAwait(false);
        if (info is null)
        {
            return null; // gone between the two calls
        }

        try
        {
            await _journal.ReceivedAsync(info, stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            // Not opened: the task stays ASSIGNED and comes back next round.
            Log.HostJournalFailed(_logger, _hub, "ReceivedAsync", task.Id, e.Message);
            return new InvalidOperationException($"the task journal could not record task {task.Id}: {e.Message}", e);
        }

        var opened = await ControlAsync((s, ct) => s.OpenTaskAsync(task.Id, ct), stopping).ConfigureAwait(false);
        if (opened is null)
        {
            Log.HostTaskNotOpened(_logger, _hub, task.Id, task.Method);
            await FinishInJournalAsync(task.Id, new KojiTaskOutcome.Abandoned("could not be opened"), stopping).ConfigureAwait(false);
            return null;
        }

        bool resumed;
        lock (_sync)
        {
            resumed = _ranBefore.Contains(task.Id);
        }

        Start(new RunningTask(info, handler, resumed, recordOpened: true), stopping);
        return null;
    }
}
