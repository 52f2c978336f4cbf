namespace KojiComposer.Scheduler.Hosting;

/// <summary>
/// How the compose engine runs steps, retries and recovers. Bound from the <c>[scheduler]</c> section by the
/// service; the defaults are what production should use.
/// </summary>
public sealed record EngineSettings
{
    /// <summary>How long a step's lease lasts without renewal; a worker silent this long is considered dead and its
    /// image is handed to another worker.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How often a running step renews its lease and writes its latest progress.</summary>
    public TimeSpan LeaseRenewInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How many times an image may lose its worker and be started again before it fails with
    /// JobMissingHeartbeat (27). composer: 2.</summary>
    public int MaxLostWorkers { get; init; } = 2;

    /// <summary>How many times a step that failed with a transient error (hub, network, database) is retried
    /// before it fails with its code.</summary>
    public int TransientRetries { get; init; } = 5;

    /// <summary>Wait before the first transient retry; later waits double up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryInitialDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait between transient retries.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the reconciler looks for steps with no live job (lost enqueue, dead worker, restart).</summary>
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often an idle Hangfire worker polls PostgreSQL for new jobs (hangfire-dispatch.md: 200 ms meets
    /// a sub-second hand-off at about 20 statements/s per worker).</summary>
    public TimeSpan QueuePollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Hangfire.PostgreSql's invisibility timeout, used sliding (kept alive while the job runs), so a long
    /// build is never fetched a second time while it still runs.</summary>
    public TimeSpan InvisibilityTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>On shutdown, how long running steps may go on before they are stopped and handed back.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>At start-up, end every lease in the store (<see cref="Store.IComposeStore.ExpireAllLeasesAsync"/>):
    /// right for the single-process embedded store, whose leases at start-up all belong to the crashed previous
    /// process, so its running steps resume at once instead of after a full lease. Set by the host for the
    /// embedded store; never for PostgreSQL, where other processes hold live leases.</summary>
    public bool ExpireLeasesAtStart { get; init; }
}
