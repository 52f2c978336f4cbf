using KojiComposer.Config;
using KojiComposer.HubBridge.Configuration;

namespace KojiComposer.Cli.Doctor;

/// <summary>Check 2, <c>service config</c>: kojicomposerd's config file loads and validates, as the service's own
/// start-up (and <c>kojicomposerd check-config</c>) does.</summary>
internal static class ServiceConfigCheck
{
    public const string Name = "service config";

    public static async Task RunAsync(DoctorRun run)
    {
        var path = run.ConfigPath;
        if (!run.ConfigGiven && !File.Exists(path))
        {
            await run.AddAsync(CheckResult.Skip(Name, $"{path} does not exist, so this machine runs no kojicomposerd; pass --config FILE to check a service's set-up")).ConfigureAwait(false);
            return;
        }

        KojiComposerOptions options;
        try
        {
            options = KojiComposerConfiguration.Load(path);
        }
        catch (ConfigurationException e)
        {
            var unreadable = e.Errors is [{ Key: "", Line: null } only] && only.Problem.StartsWith("cannot read config file", StringComparison.Ordinal);
            var fix = unreadable
                ? "pass the config kojicomposerd runs with (its unit's --config) as --config FILE, readable by this user"
                : $"correct the keys named above, then check again (kojicomposerd check-config --config {path} shows the same)";
            var detail = e.Errors.Count == 1 ? e.Message : $"{e.Errors.Count} problems:\n{e.Message}";
            await run.AddAsync(CheckResult.Fail(Name, detail, fix)).ConfigureAwait(false);
            return;
        }

        run.Options = options;
        if (options.Hub is not null)
        {
            run.Hub = HubConfiguration.From(options);
        }

        var roles = string.Join(", ", options.Service.Roles.Select(ServiceOptions.NameOf));
        var store = options.Store.Kind == StoreKind.Embedded
            ? $"embedded store {options.Store.Path}"
            : $"PostgreSQL store ({StoreOptions.DescribeConnectionString(options.Store.ConnectionString ?? "")})";
        await run.AddAsync(CheckResult.Ok(Name, $"{path}: valid; roles {roles}; {store}")).ConfigureAwait(false);
    }
}
