using Hangfire;
using Hangfire.Dashboard;
using KojiComposer.Scheduler.Engine;
using KojiComposer.Scheduler.Hosting;
using KojiComposer.Scheduler.Store;
using KojiComposer.Scheduler.Web.Access;
using KojiComposer.Scheduler.Web.Api;
using KojiComposer.Scheduler.Web.Dashboard;
using KojiComposer.Scheduler.Web.Health;
using KojiComposer.Scheduler.Web.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KojiComposer.Scheduler.Web;

/// <summary>
/// The web front in two calls for the service host: <see cref="AddComposeWeb"/> registers its services and
/// <see cref="MapComposeWeb"/> maps, behind the access check, the compose API
/// (<c>/api/image-builder-composer/v2/</c>), <c>/health</c>, <c>/metrics</c>, and the Hangfire dashboard
/// (<c>/hangfire</c>) with the compose pages. The host registers <see cref="IComposeStore"/>,
/// <see cref="Engine.IComposeOperations"/> and Hangfire's <see cref="JobStorage"/> as services (the engine's
/// <c>AddComposeEngine</c> does; <c>services.AddHangfire</c> is not needed).
/// </summary>
public static class WebHosting
{
    /// <summary>Path of the Hangfire dashboard and the compose pages.</summary>
    public const string DashboardPath = "/hangfire";

    /// <summary>Registers the web front's services: settings, access policy, metrics (also as the engine's
    /// <see cref="IComposeObserver"/>), antiforgery (the dashboard's forms), a <see cref="TimeProvider"/> when none
    /// is registered.</summary>
    /// <exception cref="ArgumentException">A user's password hash is malformed.</exception>
    public static IServiceCollection AddComposeWeb(this IServiceCollection services, WebSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        foreach (var user in settings.Users)
        {
            if (!WebPasswordHash.IsWellFormed(user.PasswordHash))
            {
                throw new ArgumentException($"web user {user.Name}: the password hash is not a {WebPasswordHash.Scheme} hash (make one with WebPasswordHash.Create)", nameof(settings));
            }
        }

        services.AddSingleton(settings);
        services.AddSingleton(new AccessPolicy(settings));
        services.AddSingleton<IHealthContributor, BuilderHealth>();
        services.TryAddSingleton<ComposeMetrics>();
        // The metrics are one of the engine's observers (the engine tells every registered one).
        services.AddSingleton<IComposeObserver>(provider => provider.GetRequiredService<ComposeMetrics>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddAntiforgery();
        services.AddRouting();
        return services;
    }

    /// <summary>Maps everything, with the access middleware in front of all of it.</summary>
    public static WebApplication MapComposeWeb(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<AccessMiddleware>();
        app.Use(ApiStatusErrorsAsync);

        ComposeDashboard.Register();
        // What UseHangfireDashboard does, minus its demand for services.AddHangfire: that call configures Hangfire's
        // process-wide globals (its log provider would outlive this app's logger factory), and the engine registers
        // its JobStorage without it.
        var storage = app.Services.GetRequiredService<JobStorage>();
        var options = new DashboardOptions
        {
            DashboardTitle = "KojiComposer",
            Authorization = [new DashboardAccess()],
            IsReadOnlyFunc = DashboardAccess.IsReadOnly,
            DisplayStorageConnectionString = false,
            AppPath = null,
        };
        app.Map(DashboardPath, dashboard => dashboard.UseMiddleware<AspNetCoreDashboardMiddleware>(storage, options, DashboardRoutes.Routes));

        app.MapComposeApi();
        app.MapGet("/health", HealthEndpoint.CheckAsync);
        app.MapGet("/metrics", MetricsEndpoint.WriteAsync);
        return app;
    }

    /// <summary>Composer's errors for what routing answers by itself under the API's base path: 404 for a path
    /// that names nothing (error 21), 405 for a method a path does not take (error 22). Also counts API requests.</summary>
    private static async Task ApiStatusErrorsAsync(HttpContext http, RequestDelegate next)
    {
        if (!http.Request.Path.StartsWithSegments(ComposerErrors.BasePath, StringComparison.Ordinal))
        {
            await next(http).ConfigureAwait(false);
            return;
        }

        http.RequestServices.GetRequiredService<ComposeMetrics>().ApiRequest();
        if (http.GetEndpoint() is null)
        {
            await ComposerErrors.WriteAsync(http, ComposerErrors.ResourceNotFound).ConfigureAwait(false);
            return;
        }

        await next(http).ConfigureAwait(false);
        if (!http.Response.HasStarted && http.Response.StatusCode == StatusCodes.Status405MethodNotAllowed)
        {
            await ComposerErrors.WriteAsync(http, ComposerErrors.MethodNotAllowed).ConfigureAwait(false);
        }
    }
}
