using Hangfire.Server;
using KojiComposer.Contracts.Errors;
using KojiComposer.Scheduler.Engine;
using KojiComposer.Scheduler.Hosting;
using KojiComposer.Scheduler.Retry;
using KojiComposer.Scheduler.Store;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Scheduler.Jobs;

/// <summary>What every step job needs, in one object so the three jobs keep the same shape.</summary>
internal sealed class StepRuntime(
    IComposeStore store,
    EngineSettings settings,
    RoleSettings roles,
    TimeProvider time,
    StepEnqueuer enqueuer,
    StepRetryPolicy retryPolicy,
    IEnumerable<IComposeObserver> observers,
    ILoggerFactory loggerFactory)
{
    public IComposeStore Store { get; } = store;

    public EngineSettings Settings { get; } = settings;

    public TimeProvider Time { get; } = time;

    public StepEnqueuer Enqueuer { get; } = enqueuer;

    public StepRetryPolicy RetryPolicy { get; } = retryPolicy;

    /// <summary>Every registered observer (metrics, benchmarks), told in turn.</summary>
    public IComposeObserver Observer { get; } = new CompositeComposeObserver([.. observers]);

    public ILogger Logger { get; } = loggerFactory.CreateLogger("KojiComposer.Scheduler.Jobs");

    /// <summary>How long the job waited between being created and starting (zero when unknown).</summary>
    public TimeSpan QueuedFor(PerformContext? context) =>
        context?.BackgroundJob.CreatedAt is { } created ? Time.GetUtcNow() - new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : TimeSpan.Zero;

    public string NewOwner() => StepOwner.New(roles.ServerName);

    /// <summary>Claims <paramref name="step"/>'s lease; null (logged) when this delivery has nothing to do.</summary>
    public async Task<StepClaim?> ClaimOrSkipAsync(StepRef step, string owner, CancellationToken cancellationToken)
    {
        var claim = await Store.ClaimAsync(step, owner, Time.GetUtcNow(), Settings.LeaseDuration, Settings.MaxLostWorkers, cancellationToken);
        if (claim.HoldsLease)
        {
            return claim;
        }

        Log.StepSkipped(Logger, step.ToString(), claim.Outcome.ToString());
        return null;
    }

    /// <summary>
    /// Asks the retry policy about a run that threw: for a retry the step is handed back (the caller rethrows so
    /// that <see cref="ComposeRetryFilter"/> schedules it) and null is returned; otherwise the error the step must
    /// end with.
    /// </summary>
    public async Task<JobError?> RetryOrFailAsync(StepRef step, string owner, Exception exception, PerformContext? context)
    {
        var retries = context?.GetJobParameter<int>(ComposeRetryFilter.RetryCountParameter) ?? 0;
        var decision = RetryPolicy.Decide(step.Kind, exception, retries);
        if (decision.Retry)
        {
            Log.StepRetrying(Logger, step.ToString(), decision.Delay.TotalSeconds, exception.Message);
            await Store.ReleaseAsync(step, owner, Time.GetUtcNow(), CancellationToken.None);
            return null;
        }

        Log.StepFailed(Logger, step.ToString(), decision.Error!.ToString(), exception);
        return decision.Error;
    }

    /// <summary>Hands a step back unfinished because this worker shuts down.</summary>
    public async Task HandBackAsync(StepRef step, string owner)
    {
        Log.StepHandedBack(Logger, step.ToString());
        await Store.ReleaseAsync(step, owner, Time.GetUtcNow(), CancellationToken.None);
    }

    public LeaseKeeper KeepLease(StepRef step, string owner, CancellationToken shutdown, bool stopOnCancel = true) =>
        new(Store, step, owner, Settings, Time, Logger, shutdown, stopOnCancel);

    /// <summary>
    /// Runs a store write that records a step's result, retrying transient store errors for up to one lease
    /// duration: a finished build's result is worth more than a retry of the whole job, which would find the lease
    /// still held, wait for it to expire and build the image again.
    /// </summary>
    public async Task<T> RecordAsync<T>(Func<Task<T>> write)
    {
        var deadline = Time.GetUtcNow() + Settings.LeaseDuration;
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                return await write();
            }
            catch (Exception e) when (StepRetryPolicy.IsTransient(e) && Time.GetUtcNow() + delay < deadline)
            {
                Log.RecordRetrying(Logger, e.Message);
                await Task.Delay(delay, Time);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    /// <summary>Enqueues finalize when a completion claimed it. A crash before this is repaired by the reconciler.</summary>
    public async Task EnqueueFinalizeIfClaimedAsync(Guid composeId, bool claimed)
    {
        if (claimed)
        {
            // Not the job's token: the claim is committed, so the enqueue must happen even during shutdown.
            await Enqueuer.EnqueueAsync(StepRef.Finalize(composeId), CancellationToken.None);
        }
    }
}
