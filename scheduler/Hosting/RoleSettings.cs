using KojiComposer.Contracts.Builders;

namespace KojiComposer.Scheduler.Hosting;

/// <summary>
/// Which roles this process runs. The all-in-one default runs the scheduler (init, finalize, reconciler, API,
/// dashboard) and builds for the machine's own architecture; a builder machine runs only
/// <see cref="BuildArches"/> against the shared PostgreSQL store.
/// </summary>
public sealed record RoleSettings
{
    /// <summary>Run the scheduler role: the init and finalize queues, the reconciler, the web API, pages and
    /// metrics.</summary>
    public bool Scheduler { get; init; } = true;

    /// <summary>Hangfire workers for the init and finalize queues.</summary>
    public int SchedulerWorkers { get; init; } = 4;

    /// <summary>Architectures this process builds for (each becomes queue <c>build-&lt;arch&gt;</c>); empty for no
    /// builder role.</summary>
    public IReadOnlyList<string> BuildArches { get; init; } = [];

    /// <summary>Concurrent image builds in this process (Hangfire workers on the build queues).</summary>
    public int BuildWorkers { get; init; } = 1;

    /// <summary>Name of this process on the dashboard and in leases, e.g. the host name.</summary>
    public string ServerName { get; init; } = Environment.MachineName;

    /// <summary>What the builder server advertises (its arches, osbuild and manifest generator; dashboard
    /// <c>/hangfire/builders</c> and <c>/health</c>). Asked when the builder server starts, so a host can answer
    /// with what its prerequisite check found just before; null advertises nothing.</summary>
    public Func<BuilderAdvertisement?> Advertisement { get; init; } = static () => null;
}
