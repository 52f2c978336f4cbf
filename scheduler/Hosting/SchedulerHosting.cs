using Hangfire;
using Hangfire.Common;
using KojiComposer.Contracts.Images;
using KojiComposer.Scheduler.Engine;
using KojiComposer.Scheduler.Jobs;
using KojiComposer.Scheduler.Koji;
using KojiComposer.Scheduler.Retry;
using KojiComposer.Scheduler.Store;
using KojiComposer.Scheduler.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KojiComposer.Scheduler.Hosting;

/// <summary>
/// The one place a host wires the scheduler in: the store, Hangfire (client and the servers of the configured
/// roles), the reconciler, and the web front. A host registers its own <see cref="IImageBuildStep"/> (builder
/// role) and <see cref="IComposeKojiSteps"/> (Koji import); without them images fail with InvalidConfig (17) and
/// Koji composes fail their reservation with a message saying so.
/// </summary>
public static class SchedulerHosting
{
    /// <summary>Registers the scheduler's services for the roles in <paramref name="roles"/>.</summary>
    public static IServiceCollection AddComposeScheduler(this IServiceCollection services, StoreSettings store, EngineSettings engine, RoleSettings roles, WebSettings web)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(web);
        services.AddSingleton(store);
        ArgumentNullException.ThrowIfNull(engine);
        engine = engine with { ExpireLeasesAtStart = store.Kind == StoreKind.Embedded };
        services.AddComposeEngine(_ => ComposeStoreFactory.Create(store), _ => HangfireStorageFactory.Create(store, engine), engine, roles);
        if (roles.Scheduler)
        {
            services.AddComposeWeb(web);
        }

        return services;
    }

    /// <summary>Registers the engine on a store and Hangfire storage that the caller owns (tests, and hosts that
    /// share them between several engines); the host does not dispose them.</summary>
    public static IServiceCollection AddComposeEngine(this IServiceCollection services, IComposeStore store, JobStorage storage, EngineSettings engine, RoleSettings roles)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(storage);
        services.AddSingleton(store).AddSingleton(storage);
        return services.AddEngineCore(engine, roles);
    }

    /// <summary>Registers the engine on a store and Hangfire storage made when first needed, owned (and disposed)
    /// by the host.</summary>
    public static IServiceCollection AddComposeEngine(this IServiceCollection services, Func<IServiceProvider, IComposeStore> store, Func<IServiceProvider, JobStorage> storage, EngineSettings engine, RoleSettings roles)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(store);
        services.AddSingleton(storage);
        return services.AddEngineCore(engine, roles);
    }

    private static IServiceCollection AddEngineCore(this IServiceCollection services, EngineSettings engine, RoleSettings roles)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(roles);
        services.AddSingleton(engine).AddSingleton(roles);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<StepRetryPolicy>();
        services.AddSingleton(provider =>
        {
            // Our filter replaces Hangfire's AutomaticRetry: this collection, not GlobalJobFilters, is what the
            // client and servers of this host use.
            var filters = new JobFilterCollection();
            filters.Add(new ComposeRetryFilter(provider.GetRequiredService<StepRetryPolicy>()));
            return filters;
        });
        services.AddSingleton<IBackgroundJobClient>(provider =>
            new BackgroundJobClient(provider.GetRequiredService<JobStorage>(), provider.GetRequiredService<JobFilterCollection>()));
        services.AddSingleton<StepEnqueuer>();
        services.AddSingleton<StepRuntime>();
        services.AddSingleton<IComposeOperations, ComposeOperations>();
        services.TryAddSingleton<IComposeKojiSteps, NoKojiSteps>();
        services.TryAddSingleton<IImageBuildStep, UnavailableImageBuildStep>();
        services.AddTransient<InitJob>().AddTransient<ImageJob>().AddTransient<FinalizeJob>();

        services.AddHostedService<StoreMigrator>();
        services.AddHostedService<HangfireServers>();
        if (roles.Scheduler)
        {
            services.AddSingleton<Reconciler>();
            services.AddHostedService(provider => provider.GetRequiredService<Reconciler>());
        }

        return services;
    }

    /// <summary>Maps the web front (API, pages, dashboard, metrics, health) when the scheduler role runs.</summary>
    public static WebApplication MapComposeScheduler(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<RoleSettings>().Scheduler)
        {
            app.MapComposeWeb();
        }

        return app;
    }
}
