using KojiComposer.Config.Binding;

namespace KojiComposer.Config;

/// <summary>The <c>[service]</c> section: which roles this process runs, its name, and how it stops.</summary>
public sealed record ServiceOptions
{
    /// <summary>Default of <c>shutdown_grace_seconds</c>.</summary>
    public const int DefaultShutdownGraceSeconds = 30;

    private const int MaxShutdownGraceSeconds = 3600;

    /// <summary>The words of <c>roles</c>, in the order the documentation lists them.</summary>
    internal static readonly IReadOnlyList<(string Name, ServiceRole Role)> RoleNames =
        [("scheduler", ServiceRole.Scheduler), ("builder", ServiceRole.Builder), ("hub-bridge", ServiceRole.HubBridge)];

    /// <summary><c>roles</c>: what this process runs; default all three (the all-in-one service).</summary>
    public IReadOnlyList<ServiceRole> Roles { get; init; } = [ServiceRole.Scheduler, ServiceRole.Builder, ServiceRole.HubBridge];

    /// <summary><c>server_name</c>: this process's name on the dashboard and in step leases; default the host
    /// name.</summary>
    public string ServerName { get; init; } = Environment.MachineName;

    /// <summary><c>shutdown_grace_seconds</c>: on SIGTERM, how long running steps may go on before they are stopped
    /// and handed back, 0 to 3600; default 30 s.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(DefaultShutdownGraceSeconds);

    /// <summary>True when <see cref="Roles"/> holds <paramref name="role"/>.</summary>
    public bool Runs(ServiceRole role) => Roles.Contains(role);

    /// <summary>The role's word as <c>roles</c> spells it.</summary>
    public static string NameOf(ServiceRole role) => RoleNames.First(r => r.Role == role).Name;

    internal static ServiceOptions Bind(ConfigSection section)
    {
        var defaults = new ServiceOptions();
        return new ServiceOptions
        {
            Roles = BindRoles(section, defaults.Roles),
            ServerName = section.NonEmptyString("server_name", defaults.ServerName),
            ShutdownGrace = section.Seconds(
                "shutdown_grace_seconds", defaults.ShutdownGrace, 0, MaxShutdownGraceSeconds),
        };
    }

    private static IReadOnlyList<ServiceRole> BindRoles(ConfigSection section, IReadOnlyList<ServiceRole> defaultRoles)
    {
        if (section.StringList("roles") is not { } words)
        {
            return defaultRoles;
        }

        if (words.Count == 0)
        {
            section.Error("roles", $"must name at least one role: {Known()}");
            return defaultRoles;
        }

        var roles = new List<ServiceRole>();
        foreach (var word in words)
        {
            var match = RoleNames.FirstOrDefault(r => string.Equals(r.Name, word, StringComparison.Ordinal));
            if (match.Name is null)
            {
                var suggestion = ClosestMatch.Find(word, RoleNames.Select(r => r.Name));
                var problem = $"unknown role {ConfigText.Quote(word)}; roles are {Known()}";
                section.Error("roles", suggestion is null ? problem : $"{problem}; did you mean {ConfigText.Quote(suggestion)}?");
            }
            else if (roles.Contains(match.Role))
            {
                section.Error("roles", $"lists {ConfigText.Quote(word)} twice");
            }
            else
            {
                roles.Add(match.Role);
            }
        }

        return roles.Count == 0 ? defaultRoles : roles;
    }

    private static string Known() => string.Join(", ", RoleNames.Select(r => ConfigText.Quote(r.Name)));
}
