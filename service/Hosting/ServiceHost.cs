using System.Reflection;
using KojiComposer.Config;
using KojiComposer.HubBridge.Authentication;
using KojiComposer.HubBridge.Configuration;
using KojiComposer.Scheduler.Web.Health;
using KojiComposer.Service.Health;
using KojiComposer.Scheduler.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Service.Hosting;

/// <summary>
/// The process: a web application (Kestrel on <c>web.listen</c>) when the scheduler role runs, a plain host
/// without a listener otherwise (a builder machine), with the scheduler's services for the configured roles either
/// way. SIGTERM stops it gracefully: the host waits <c>service.shutdown_grace_seconds</c> plus
/// <see cref="ShutdownMargin"/> for running work to finish or be handed back.
/// </summary>
public sealed class ServiceHost : IAsyncDisposable
{
    /// <summary>Time beyond the grace for handing steps back and closing the store; systemd's <c>TimeoutStopSec=</c>
    /// must exceed grace + margin.</summary>
    public static readonly TimeSpan ShutdownMargin = TimeSpan.FromSeconds(15);

    private readonly IHost _host;
    private readonly KojiComposerOptions _options;
    private readonly ILogger _logger;

    private ServiceHost(IHost host, KojiComposerOptions options)
    {
        _host = host;
        _options = options;
        _logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("KojiComposer.Service");
    }

    /// <summary>The listen addresses Kestrel bound (port 0 resolved), once started; empty without the scheduler
    /// role.</summary>
    public IReadOnlyList<string> Addresses =>
        _host.Services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    /// <summary>Builds the process for <paramref name="options"/>; <paramref name="configureLogging"/> replaces the
    /// logging set-up (tests capture it).</summary>
    public static ServiceHost Build(KojiComposerOptions options, Action<ILoggingBuilder>? configureLogging = null)
    {
        var store = OptionsMapping.Store(options);
        var engine = OptionsMapping.Engine(options);
        var roles = OptionsMapping.Roles(options);
        var web = OptionsMapping.Web(options);
        IHostApplicationBuilder builder;
        if (roles.Scheduler && options.Web.Keytab is { } keytab)
        {
            // The web front accepts Negotiate with this keytab (HTTP/<host>); GSSAPI acceptors in this process use it.
            KerberosCredentials.UseAcceptorKeytab(keytab);
        }

        if (roles.Scheduler)
        {
            var webBuilder = WebApplication.CreateBuilder(Settings());
            // Only the configured addresses: ASPNETCORE_URLS or a default of localhost:5000 must not open others.
            webBuilder.WebHost.UseUrls([.. web.Urls]);
            builder = webBuilder;
        }
        else
        {
            builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
            {
                ApplicationName = "kojicomposerd",
                ContentRootPath = AppContext.BaseDirectory,
                DisableDefaults = false,
            });
        }

        if (configureLogging is not null)
        {
            builder.Logging.ClearProviders();
            configureLogging(builder.Logging);
        }

        // Type=notify start-up and stop reporting and journal-friendly log lines; does nothing outside systemd.
        builder.Services.AddSystemd();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = engine.ShutdownGrace + ShutdownMargin);
        builder.Services.AddComposeScheduler(store, engine, roles, web);
        if (roles.Scheduler && options.Hub is not null)
        {
            var hub = HubConfiguration.From(options);
            builder.Services.AddSingleton<IHealthContributor>(provider => new HubLoginHealth(hub.Hub, hub.ContentGenerator, provider.GetRequiredService<TimeProvider>()));
        }

        IHost host;
        if (builder is WebApplicationBuilder webApplicationBuilder)
        {
            var app = webApplicationBuilder.Build();
            app.MapComposeScheduler();
            host = app;
        }
        else
        {
            host = ((HostApplicationBuilder)builder).Build();
        }

        return new ServiceHost(host, options);
    }

    /// <summary>Starts, runs until SIGTERM/SIGINT or <paramref name="cancellationToken"/>, and stops gracefully.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        await _host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        Log.Stopped(_logger);
    }

    /// <summary>Starts the roles and the listener, and logs what runs.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var service = _options.Service;
        Log.Starting(
            _logger,
            typeof(ServiceHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?",
            service.ServerName,
            string.Join(", ", service.Roles.Select(ServiceOptions.NameOf)),
            DescribeStore(_options.Store),
            _options.Source);
        _host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(
            () => Log.Stopping(_logger, service.ShutdownGrace.TotalSeconds));
        await _host.StartAsync(cancellationToken).ConfigureAwait(false);
        if (service.Runs(ServiceRole.Scheduler))
        {
            Log.Listening(_logger, string.Join(", ", Addresses));
        }
        else
        {
            Log.NoListener(_logger);
        }

        if (service.Runs(ServiceRole.Builder))
        {
            Log.Building(_logger, string.Join(", ", _options.Builder.Arches), _options.Builder.Workers);
        }
    }

    /// <summary>Stops gracefully (as SIGTERM would).</summary>
    public Task StopAsync() => _host.StopAsync(CancellationToken.None);

    /// <summary>The store in one line without secrets: the SQLite path, or PostgreSQL's host, database and schemas.</summary>
    public static string DescribeStore(StoreOptions store) => store.Kind == Config.StoreKind.Embedded
        ? $"embedded, {store.Path}"
        : $"postgresql, {StoreOptions.DescribeConnectionString(store.ConnectionString!)}, schemas {store.Schema} and {store.HangfireSchema}"
          + (store.ConnectionStringFile is { } file ? $" (connection string from {file})" : "");

    public async ValueTask DisposeAsync()
    {
        if (_host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            _host.Dispose();
        }
    }

    private static WebApplicationOptions Settings() => new()
    {
        ApplicationName = "kojicomposerd",
        ContentRootPath = AppContext.BaseDirectory,
    };
}
