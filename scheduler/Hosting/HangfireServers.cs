using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using KojiComposer.Contracts.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Scheduler.Hosting;

/// <summary>
/// The Hangfire servers of this process's roles, built from this host's own storage, filters and activator (never
/// Hangfire's static GlobalConfiguration, so several hosts can live in one process, as tests need): one server for
/// the scheduler queues (init and finalize) and one for the build queues of <see cref="RoleSettings.BuildArches"/>.
/// On shutdown running steps get <see cref="EngineSettings.ShutdownGrace"/> to finish; then their cancellation
/// token fires and they hand their step back. The builder server's advertisement (<see cref="RoleSettings.Advertisement"/>)
/// is written next to it in Hangfire's storage once it starts and withdrawn when it stops.
/// </summary>
internal sealed class HangfireServers(
    JobStorage storage,
    JobFilterCollection filters,
    IServiceScopeFactory scopes,
    RoleSettings roles,
    EngineSettings engine,
    TimeProvider time,
    ILogger<HangfireServers> logger) : IHostedService, IDisposable
{
    private readonly List<BackgroundJobServer> _servers = [];
    private string? _advertisementKey;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (roles.Scheduler)
        {
            // Finalize first: Hangfire takes queues in the order given, so imports never wait behind reservations.
            Start("scheduler", [QueueNames.Finalize, QueueNames.Init], roles.SchedulerWorkers);
        }

        if (roles.BuildArches.Count > 0)
        {
            var name = Start("builder", roles.BuildArches.Select(QueueNames.Build).ToArray(), roles.BuildWorkers);
            if (roles.Advertisement() is { } advertisement)
            {
                var key = BuilderAdvertisementHash.KeyOfThisProcess(name);
                BuilderAdvertisementHash.Write(storage, key, advertisement, time.GetUtcNow());
                _advertisementKey = key;
                Log.BuilderAdvertised(logger, name, advertisement.Describe());
            }
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var server in _servers)
        {
            server.SendStop();
        }

        try
        {
            foreach (var server in _servers)
            {
                await server.WaitForShutdownAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown timeout ran out first: the steps still running were not handed back and come
            // back through their leases (the reconciler), so nothing is lost; say so instead of failing the stop.
            Log.ServersStopTimedOut(logger);
        }
        finally
        {
            WithdrawAdvertisement();
        }
    }

    public void Dispose()
    {
        foreach (var server in _servers)
        {
            server.Dispose();
        }
    }

    private void WithdrawAdvertisement()
    {
        if (_advertisementKey is not { } key)
        {
            return;
        }

        _advertisementKey = null;
        try
        {
            BuilderAdvertisementHash.Remove(storage, key);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Readers show advertisements of live servers only, so a leftover one is never shown.
            Log.AdvertisementNotWithdrawn(logger, key, e);
        }
    }

    private string Start(string role, string[] queues, int workers)
    {
        var name = $"{roles.ServerName}:{role}";
        var options = new BackgroundJobServerOptions
        {
            ServerName = name,
            Queues = queues,
            WorkerCount = workers,
            Activator = new AspNetCoreJobActivator(scopes),
            FilterProvider = filters,
            StopTimeout = engine.ShutdownGrace,
            ShutdownTimeout = engine.ShutdownGrace + TimeSpan.FromSeconds(15),
            // Transient retries wait in the Scheduled state; poll for due ones every second, not every 15 s.
            SchedulePollingInterval = TimeSpan.FromSeconds(1),
        };
        _servers.Add(new BackgroundJobServer(options, storage));
        Log.ServerStarted(logger, name, string.Join(",", queues), workers);
        return name;
    }
}
