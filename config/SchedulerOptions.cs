using KojiComposer.Config.Binding;

namespace KojiComposer.Config;

/// <summary>The <c>[scheduler]</c> section: how the compose engine runs steps, retries and recovers. The defaults are
/// what production should use; they equal the engine's own (<c>EngineSettings</c>, checked by a test).</summary>
public sealed record SchedulerOptions
{
    /// <summary><c>lease_seconds</c>: how long a step's lease lasts without renewal; a worker silent this long is
    /// taken for dead and its step handed to another, 10 to 3600; default 120 s.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary><c>lease_renew_seconds</c>: how often a running step renews its lease, 1 s to less than
    /// <see cref="Lease"/>; default 5 s.</summary>
    public TimeSpan LeaseRenew { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><c>max_lost_workers</c>: how often an image may lose its worker and start again before it fails with
    /// JobMissingHeartbeat, 0 to 100; default 2 (composer's).</summary>
    public int MaxLostWorkers { get; init; } = 2;

    /// <summary><c>transient_retries</c>: retries of a step that failed transiently (hub, network, database), 0 to
    /// 100; default 5.</summary>
    public int TransientRetries { get; init; } = 5;

    /// <summary><c>retry_initial_delay_seconds</c>: wait before the first transient retry, 0 to 3600; default 10 s.</summary>
    public TimeSpan RetryInitialDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>retry_max_delay_seconds</c>: longest wait between transient retries, at least
    /// <see cref="RetryInitialDelay"/>, up to 86400; default 600 s.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary><c>reconcile_interval_seconds</c>: how often the reconciler looks for steps with no live job, 1 to
    /// 3600; default 15 s.</summary>
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary><c>queue_poll_interval_ms</c>: how often an idle worker polls the store for jobs, 10 to 60000 ms;
    /// default 200 ms.</summary>
    public TimeSpan QueuePollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary><c>invisibility_timeout_seconds</c>: Hangfire.PostgreSql's invisibility timeout, kept alive while a
    /// job runs, 30 to 86400; default 300 s.</summary>
    public TimeSpan InvisibilityTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary><c>workers</c>: Hangfire workers for the init and finalize queues, 1 to 64; default 4.</summary>
    public int Workers { get; init; } = 4;

    internal static SchedulerOptions Bind(ConfigSection section)
    {
        var d = new SchedulerOptions();
        var options = new SchedulerOptions
        {
            Lease = section.Seconds("lease_seconds", d.Lease, 10, 3600),
            LeaseRenew = section.Seconds("lease_renew_seconds", d.LeaseRenew, 1, 3600),
            MaxLostWorkers = section.Integer("max_lost_workers", d.MaxLostWorkers, 0, 100),
            TransientRetries = section.Integer("transient_retries", d.TransientRetries, 0, 100),
            RetryInitialDelay = section.Seconds("retry_initial_delay_seconds", d.RetryInitialDelay, 0, 3600),
            RetryMaxDelay = section.Seconds("retry_max_delay_seconds", d.RetryMaxDelay, 0, 86400),
            ReconcileInterval = section.Seconds("reconcile_interval_seconds", d.ReconcileInterval, 1, 3600),
            QueuePollInterval = TimeSpan.FromMilliseconds(section.Integer("queue_poll_interval_ms", (int)d.QueuePollInterval.TotalMilliseconds, 10, 60000)),
            InvisibilityTimeout = section.Seconds("invisibility_timeout_seconds", d.InvisibilityTimeout, 30, 86400),
            Workers = section.Integer("workers", d.Workers, 1, 64),
        };

        // A lease renewed no more often than it lasts expires between renewals: every step would look dead.
        if (options.LeaseRenew >= options.Lease && (section.Has("lease_renew_seconds") || section.Has("lease_seconds")))
        {
            var key = section.Has("lease_renew_seconds") ? "lease_renew_seconds" : "lease_seconds";
            section.Error(
                key,
                $"{section.KeyPath("lease_renew_seconds")} ({ConfigText.Number(options.LeaseRenew.TotalSeconds)}) must be less than "
                + $"{section.KeyPath("lease_seconds")} ({ConfigText.Number(options.Lease.TotalSeconds)}), or every lease expires between renewals");
        }

        if (options.RetryMaxDelay < options.RetryInitialDelay && section.Has("retry_max_delay_seconds"))
        {
            section.Error(
                "retry_max_delay_seconds",
                $"must be at least {section.KeyPath("retry_initial_delay_seconds")} ({ConfigText.Number(options.RetryInitialDelay.TotalSeconds)}), "
                + $"got {ConfigText.Number(options.RetryMaxDelay.TotalSeconds)}");
        }

        return options;
    }
}
