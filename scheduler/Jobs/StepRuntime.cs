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
    public TimeSpan QueuedFor(Hangfire.Server.PerformContext? context) =>
        context?.BackgroundJob.CreatedAt is { } created ? Time.GetUtcNow() - new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : TimeSpan.Zero;

    public string NewOwner() => StepOwner.New(roles.ServerName);

    public Task<StepClaim> ClaimAsync(StepRef step, string owner, CancellationToken cancellationToken) =>
        Store.ClaimAsync(step, owner, Time.GetUtcNow(), Settings.LeaseDuration, Settings.MaxLostWorkers, cancellationToken);

    public LeaseKeeper KeepLease(StepRef step, string owner, CancellationToken shutdown) =>
        new(Store, step, owner, Settings, Time, Logger, shutdown);

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
