using KojiComposer.Config.Binding;

namespace KojiComposer.Config;

/// <summary>The <c>[hub.host]</c> section: the builder-host identity, which holds the exclusive session and makes
/// the <c>host.*</c> task calls and task uploads.</summary>
public sealed record HostIdentityOptions : IKerberosIdentity
{
    /// <inheritdoc/>
    public string? Principal { get; init; }

    /// <inheritdoc/>
    public string? Keytab { get; init; }

    /// <summary><c>force_exclusive</c>: kept for older configs, no effect: the hub-bridge role takes the exclusive
    /// session by force whenever it holds the store's instance lock for this host; default false.</summary>
    public bool ForceExclusive { get; init; }

    /// <summary>Default of <c>max_tasks</c>.</summary>
    public const int DefaultMaxTasks = 20;

    /// <summary><c>max_tasks</c>: how many <c>osbuildImage</c> tasks the host runs at once (sent to the hub as
    /// <c>maxjobs</c>); 1 to 1000, default 20. A task costs the host little (its images build on the builders), so
    /// this bounds how many composes Koji can start through us.</summary>
    public int MaxTasks { get; init; } = DefaultMaxTasks;

    /// <summary><c>poll_interval_seconds</c>: how often the host asks the hub for assigned tasks and checks its open
    /// tasks for cancellation (kojid's <c>sleeptime</c>); 0.1 to 60, default 5. The heartbeat
    /// (<c>host.updateHost</c>) runs on its own every 30 s regardless.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><c>repo_wait_minutes</c>: how long a task whose build tag has no READY repository waits for one
    /// (like kojid's waitrepo) before it fails; 0 to 1440, default 120.</summary>
    public TimeSpan RepoWait { get; init; } = TimeSpan.FromMinutes(120);

    internal static HostIdentityOptions Bind(ConfigSection section)
    {
        var (principal, keytab) = KerberosIdentityBinding.Read(section);
        return new HostIdentityOptions
        {
            Principal = principal,
            Keytab = keytab,
            ForceExclusive = section.Boolean("force_exclusive", false),
            MaxTasks = section.Integer("max_tasks", DefaultMaxTasks, 1, 1000),
            PollInterval = section.Seconds("poll_interval_seconds", TimeSpan.FromSeconds(5), 0.1, 60),
            RepoWait = TimeSpan.FromMinutes(section.Integer("repo_wait_minutes", 120, 0, 1440)),
        };
    }
}
