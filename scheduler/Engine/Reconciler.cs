using Hangfire;
using Hangfire.States;
using KojiComposer.Scheduler.Hosting;
using KojiComposer.Scheduler.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Scheduler.Engine;

/// <summary>
/// Repairs what at-least-once delivery and crashes leave behind, from the store's point of view: a ready step
/// whose Hangfire job is gone (never enqueued after a crash, lost with the in-memory queue on restart, deleted on
/// the dashboard, or ended without finishing the step), and a running step whose worker stopped renewing its
/// lease (the process died). Runs at start-up and then every <see cref="EngineSettings.ReconcileInterval"/>, in
/// every scheduler process; duplicates it might cause are harmless because every step claims its lease first.
/// </summary>
internal sealed class Reconciler(
    IComposeStore store,
    JobStorage storage,
    StepEnqueuer enqueuer,
    EngineSettings settings,
    TimeProvider time,
    ILogger<Reconciler> logger) : BackgroundService
{
    private const int BatchSize = 500;

    // Ready steps that had no job at all in the last pass. A step is written to the store before its job is
    // enqueued, so a pass can see a compose submitted a moment ago without its job yet; only a step still without a
    // job one pass later was really never enqueued (a crash between the two writes).
    private HashSet<StepRef> _withoutJobLastPass = [];

    /// <summary>One pass; returns how many steps were enqueued. Public to tests.</summary>
    public async Task<int> ReconcileOnceAsync(CancellationToken cancellationToken)
    {
        var candidates = await store.FindOrphanCandidatesAsync(time.GetUtcNow(), BatchSize, cancellationToken);
        var withoutJob = new HashSet<StepRef>();
        var enqueued = 0;
        foreach (var candidate in candidates)
        {
            if (candidate.Reason == OrphanReason.ReadyNotRunning && candidate.JobId is null)
            {
                withoutJob.Add(candidate.Step);
                if (!_withoutJobLastPass.Contains(candidate.Step))
                {
                    continue;
                }
            }
            else if (candidate.Reason == OrphanReason.ReadyNotRunning && JobIsAlive(candidate.JobId))
            {
                continue;
            }

            await enqueuer.EnqueueAsync(candidate.Step, cancellationToken);
            Log.Reenqueued(logger, candidate.Step.ToString(), candidate.Reason.ToString());
            enqueued++;
        }

        _withoutJobLastPass = withoutJob;
        return enqueued;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.ExpireLeasesAtStart)
        {
            try
            {
                var expired = await store.ExpireAllLeasesAsync(time.GetUtcNow(), stoppingToken);
                if (expired > 0)
                {
                    Log.LeasesExpiredAtStart(logger, expired);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Only a speed-up: the leases still expire on their own.
                Log.ReconcileFailed(logger, e);
            }
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ReconcileOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.ReconcileFailed(logger, e);
            }

            try
            {
                await Task.Delay(settings.ReconcileInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>True when the job may still run the step: it exists and is enqueued, scheduled (a retry),
    /// awaiting or processing. A processing job whose worker died shows up as a lease expiry instead.</summary>
    private bool JobIsAlive(string? jobId)
    {
        if (jobId is null)
        {
            return false;
        }

        using var connection = storage.GetConnection();
        var state = connection.GetJobData(jobId)?.State;
        return state is not null && (state == EnqueuedState.StateName || state == ScheduledState.StateName
            || state == AwaitingState.StateName || state == ProcessingState.StateName);
    }
}
