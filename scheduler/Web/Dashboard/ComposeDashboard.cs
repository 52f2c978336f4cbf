using Hangfire.Dashboard;

namespace KojiComposer.Scheduler.Web.Dashboard;

/// <summary>
/// Our pages on Hangfire's dashboard: <c>/hangfire/composes</c> (list) and <c>/hangfire/composes/{id}</c>
/// (detail, with Cancel and Retry failed for operators), <c>/hangfire/builders</c> (live builders with their osbuild
/// and manifest generator), and <b>Composes</b> and <b>Builders</b> menu entries. Hangfire keeps routes and
/// menu in static collections, so they are added once per process; the pages read their services from each
/// request, so every app in the process serves its own store.
/// </summary>
internal static class ComposeDashboard
{
    public const string ListPath = "/composes";
    public const string BuildersPath = "/builders";
    private const string IdPattern = "(?<id>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})";

    private static readonly Lock Sync = new();
    private static bool _registered;

    public static string DetailPath(Guid id) => $"{ListPath}/{id}";

    public static void Register()
    {
        lock (Sync)
        {
            if (_registered)
            {
                return;
            }

            DashboardRoutes.Routes.AddRazorPage(ListPath, _ => new ComposesPage());
            DashboardRoutes.Routes.AddRazorPage($"{ListPath}/{IdPattern}", match => new ComposeDetailPage(Guid.Parse(match.Groups["id"].Value)));
            DashboardRoutes.Routes.Add($"{ListPath}/{IdPattern}/(?<action>cancel|retry-failed)", new ComposeActionDispatcher());
            NavigationMenu.Items.Add(page => new MenuItem("Composes", page.Url.To(ListPath))
            {
                Active = page.RequestPath.StartsWith(ListPath, StringComparison.Ordinal),
            });
            DashboardRoutes.Routes.AddRazorPage(BuildersPath, _ => new BuildersPage());
            NavigationMenu.Items.Add(page => new MenuItem("Builders", page.Url.To(BuildersPath))
            {
                Active = page.RequestPath.StartsWith(BuildersPath, StringComparison.Ordinal),
            });
            _registered = true;
        }
    }
}
