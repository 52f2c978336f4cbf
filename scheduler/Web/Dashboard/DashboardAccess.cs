using Hangfire.Dashboard;
using KojiComposer.Scheduler.Web.Access;

namespace KojiComposer.Scheduler.Web.Dashboard;

/// <summary>Lets the Hangfire dashboard serve whoever our access middleware let through (it runs before the
/// dashboard and answers 401/403 itself); read-only users get Hangfire's read-only mode (no buttons that act).</summary>
internal sealed class DashboardAccess : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => WebIdentity.Of(context.GetHttpContext()) is not null;

    public static bool IsReadOnly(DashboardContext context) => WebIdentity.Of(context.GetHttpContext()) is not { IsOperator: true };
}
