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

    /// <summary><c>force_exclusive</c>: take the exclusive session even if another session of the host user holds
    /// it (<c>exclusiveSession(force=true)</c>; needed after a crash left the lock behind); default false.</summary>
    public bool ForceExclusive { get; init; }

    /// <summary>Default of <c>max_tasks</c>.</summary>
    public const int DefaultMaxTasks = 20;

    /// <summary><c>max_tasks</c>: how many <c>osbuildImage</c> tasks the host runs at once (sent to the hub as
    /// <c>maxjobs</c>); 1 to 1000, default 20. A task costs the host little (its images build on the builders), so
    /// this bounds how many composes Koji can start through us.</summary>
    public int MaxTasks { get; init; } = DefaultMaxTasks;

    internal static HostIdentityOptions Bind(ConfigSection section)
    {
        var (principal, keytab) = KerberosIdentityBinding.Read(section);
        return new HostIdentityOptions
        {
            Principal = principal,
            Keytab = keytab,
            ForceExclusive = section.Boolean("force_exclusive", false),
            MaxTasks = section.Integer("max_tasks", DefaultMaxTasks, 1, 1000),
        };
    }
}
