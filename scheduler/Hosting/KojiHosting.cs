using KojiComposer.HubBridge.Authentication;
using KojiComposer.HubBridge.Host;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubBridge.Transport;
using KojiComposer.Scheduler.Koji;
using KojiComposer.Scheduler.Koji.Tasks;
using KojiComposer.Scheduler.Store;
using KojiComposer.Scheduler.Web.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Scheduler.Hosting;

/// <summary>Wires the Koji side in: the content-generator steps (init and finalize of composes that make a Koji
/// build) and the task intake (the hub-bridge role). Call after <see cref="SchedulerHosting.AddComposeScheduler"/>
/// or <c>AddComposeEngine</c>.</summary>
public static class KojiHosting
{
    /// <summary>Reserves, imports and refunds Koji builds as the content-generator user.</summary>
    public static IServiceCollection AddKojiContentGenerator(this IServiceCollection services, KojiHubOptions hub, KerberosIdentity identity, string contentGenerator, KojiSessionOptions? session = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IComposeKojiSteps>(provider => new ContentGeneratorSteps(
            hub, identity, contentGenerator, provider.GetRequiredService<IComposeStore>(),
            provider.GetRequiredService<ILogger<ContentGeneratorSteps>>(), session, provider.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>Takes <c>osbuildImage</c> (and our own <c>tagBuild</c>) tasks as the builder host.</summary>
    public static IServiceCollection AddKojiTaskIntake(this IServiceCollection services, KojiIntakeSettings intake, KojiHostLoopOptions host)
    {
        ArgumentNullException.ThrowIfNull(services);
        // The intake service runs the loop only while it holds the store's instance lock for this host, so forcing
        // the exclusive session is safe: it can only take it from a dead process of ours (koji-wire.md §9.2).
        host = host with { ForceExclusive = true };
        services.AddSingleton(intake).AddSingleton(host);
        services.AddSingleton(provider => (IKojiTaskStore)provider.GetRequiredService<IComposeStore>());
        services.AddSingleton<KojiTaskJournal>();
        services.AddSingleton<OsbuildImageTaskHandler>();
        services.AddSingleton(provider => new KojiHostLoop(
            host,
            provider.GetRequiredService<KojiTaskJournal>(),
            [provider.GetRequiredService<OsbuildImageTaskHandler>(), new TagBuildTaskHandler(provider.GetRequiredService<ILoggerFactory>().CreateLogger<TagBuildTaskHandler>(), provider.GetRequiredService<TimeProvider>())],
            provider.GetRequiredService<ILoggerFactory>().CreateLogger<KojiHostLoop>(),
            provider.GetRequiredService<TimeProvider>()));
        services.AddHostedService<KojiIntakeService>();
        services.AddSingleton<IHealthContributor, KojiHostHealth>();
        return services;
    }
}
