using System.Reflection;
using System.Runtime.CompilerServices;
using KojiComposer.Builder;
using KojiComposer.Builder.Worker;
using KojiComposer.Config;
using KojiComposer.Contracts.Builders;
using KojiComposer.HubBridge.Authentication;
using KojiComposer.HubBridge.Configuration;
using KojiComposer.HubBridge.Host;
using KojiComposer.Scheduler.Koji;
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
/// way. With the builder role, the builder's services replace the scheduler's stand-in build step, and
/// <see cref="StartAsync"/> checks osbuild and the manifest generator before anything starts. SIGTERM stops it gracefully: the host waits <c>service.shutdown_grace_seconds</c> plus
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
    private readonly BuilderSettings? _builder;
    private readonly StrongBox<BuilderAdvertisement?> _advertisement;

    private ServiceHost(IHost host, KojiComposerOptions options, BuilderSettings? builder, StrongBox<BuilderAdvertisement?> advertisement)
    {
        _host = host;
        _options = options;
        _builder = builder;
        _advertisement = advertisement;
        _logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("KojiComposer.Service");
    }

    /// <summary>What this process's builder advertises, once <see cref="StartAsync"/> checked its prerequisites;
    /// null without the builder role.</summary>
    public BuilderAdvertisement? Advertisement => _advertisement.Value;

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
        // The builder server advertises what the prerequisite check in StartAsync found; it starts after it.
        var advertisement = new StrongBox<BuilderAdvertisement?>();
        var roles = OptionsMapping.Roles(options) with { Advertisement = () => advertisement.Value };
        var builderSettings = roles.BuildArches.Count > 0 ? OptionsMapping.Builder(options) : null;
        var hub = options.Hub is not null ? HubConfiguration.From(options) : null;
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
        if (builderSettings is not null)
        {
            // Before the scheduler: its stand-in build step is registered only when no step is.
            builder.Services.AddImageBuilder(builderSettings, hub?.Hub, hub?.ContentGenerator);
        }

        builder.Services.AddComposeScheduler(store, engine, roles, web);
        if (hub is not null && roles.Scheduler)
        {
            // Init and finalize of composes that make a Koji build: CGInitBuild, CGImport, CGRefundBuild.
            builder.Services.AddKojiContentGenerator(hub.Hub, hub.ContentGenerator, hub.ContentGeneratorName);
        }

        if (hub is not null && options.Service.Runs(ServiceRole.HubBridge))
        {
            builder.Services.AddKojiTaskIntake(
                new KojiIntakeSettings { TopUrl = options.Hub!.TopUrl, PublicUrl = PublicUrl(web), RepoPollInterval = options.Hub.Host.PollInterval * 6, RepoWait = options.Hub.Host.RepoWait },
                new KojiHostLoopOptions { Hub = hub.Hub, Identity = hub.Host, MaxTasks = options.Hub.Host.MaxTasks,
                    PollInterval = options.Hub.Host.PollInterval, CancelCheckInterval = options.Hub.Host.PollInterval * 2 });
        }
        if (roles.Scheduler && hub is not null)
        {
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

        return new ServiceHost(host, options, builderSettings, advertisement);
    }

    /// <summary><c>web.public_url</c>, or else the first listen address with a wildcard host (<c>*</c>, <c>+</c>,
    /// <c>0.0.0.0</c>, <c>[::]</c>) replaced by this machine's name: what the Koji task result names as
    /// <c>composer.server</c>.</summary>
    internal static Uri PublicUrl(Scheduler.Hosting.WebSettings web)
    {
        if (web.PublicUrl is { } configured)
        {
            return configured;
        }

        var listen = web.Urls.Count > 0 ? web.Urls[0] : "http://localhost:8700";
        var wildcard = System.Text.RegularExpressions.Regex.Match(listen, @"^(https?://)(\*|\+|0\.0\.0\.0|\[::\])(?=[:/]|$)");
        if (wildcard.Success)
        {
            listen = wildcard.Groups[1].Value + System.Net.Dns.GetHostName() + listen[wildcard.Length..];
        }

        return Uri.TryCreate(listen, UriKind.Absolute, out var url) ? url : new Uri("http://localhost:8700");
    }

    /// <summary>Starts, runs until SIGTERM/SIGINT or <paramref name="cancellationToken"/>, and stops gracefully.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        await _host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        Log.Stopped(_logger);
    }

    /// <summary>Checks the builder's prerequisites (builder role), then starts the roles and the listener, and logs
    /// what runs.</summary>
    /// <exception cref="BuilderPrerequisiteException">The builder role cannot build here; nothing was started.</exception>
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
        if (_options.Service.Runs(ServiceRole.HubBridge) && _options.Web.PublicUrl is null)
        {
            Log.PublicUrlGuessed(_logger, PublicUrl(OptionsMapping.Web(_options)));
        }
        if (_builder is { } builderSettings)
        {
            // Before any Hangfire server: a machine that cannot build must not take build steps only to fail them.
            try
            {
                _advertisement.Value = await BuilderStartup.CheckAsync(_host.Services, builderSettings, _options.Builder.Arches, cancellationToken).ConfigureAwait(false);
            }
            catch (BuilderPrerequisiteException e)
            {
                Log.BuilderPrerequisitesFailed(_logger, e.Message);
                throw;
            }

            var found = _advertisement.Value;
            Log.BuilderReady(_logger, found.OsbuildVersion, found.OsbuildPath, found.GeneratorVersion is { } v ? $"{found.Generator} {v}" : found.Generator);
        }

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
