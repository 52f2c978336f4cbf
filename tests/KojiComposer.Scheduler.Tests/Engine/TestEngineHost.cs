using Hangfire;
using KojiComposer.Contracts.Images;
using KojiComposer.Scheduler.Engine;
using KojiComposer.Scheduler.Hosting;
using KojiComposer.Scheduler.Koji;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Store;
using KojiComposer.Scheduler.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Scheduler.Tests.Engine;

/// <summary>
/// One scheduler process of an engine test: the real engine (Hangfire servers, jobs, reconciler) on a real store,
/// with a scripted build step and recorded Koji steps. Several hosts may share one store and Hangfire storage to
/// act as separate machines.
/// </summary>
internal sealed class TestEngineHost : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private TestEngineHost(IHost host, ScriptedBuildStep build, RecordingKojiSteps koji)
    {
        _host = host;
        Build = build;
        Koji = koji;
    }

    /// <summary>Settings that make leases, reconciling and polling fast enough for tests.</summary>
    public static EngineSettings FastSettings { get; } = new()
    {
        LeaseDuration = TimeSpan.FromSeconds(3),
        LeaseRenewInterval = TimeSpan.FromMilliseconds(300),
        ReconcileInterval = TimeSpan.FromMilliseconds(500),
        QueuePollInterval = TimeSpan.FromMilliseconds(100),
        InvisibilityTimeout = TimeSpan.FromSeconds(2),
        RetryInitialDelay = TimeSpan.FromMilliseconds(100),
        RetryMaxDelay = TimeSpan.FromMilliseconds(400),
        TransientRetries = 3,
        ShutdownGrace = TimeSpan.FromMilliseconds(500),
    };

    public ScriptedBuildStep Build { get; }

    public RecordingKojiSteps Koji { get; }

    public IComposeStore Store => _host.Services.GetRequiredService<IComposeStore>();

    public JobStorage Storage => _host.Services.GetRequiredService<JobStorage>();

    public IComposeOperations Operations => _host.Services.GetRequiredService<IComposeOperations>();

    internal Reconciler Reconciler => _host.Services.GetRequiredService<Reconciler>();

    public static async Task<TestEngineHost> StartAsync(
        IComposeStore store,
        JobStorage storage,
        RoleSettings? roles = null,
        EngineSettings? settings = null,
        ScriptedBuildStep? build = null,
        RecordingKojiSteps? koji = null)
    {
        roles ??= new RoleSettings { BuildArches = ["x86_64", "aarch64"], BuildWorkers = 4, ServerName = "test" };
        build ??= new ScriptedBuildStep(roles.ServerName);
        koji ??= new RecordingKojiSteps();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("KOJICOMPOSER_TEST_LOG") == "1")
        {
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug);
        }
        builder.Services.AddSingleton<IImageBuildStep>(build);
        builder.Services.AddSingleton<IComposeKojiSteps>(koji);
        builder.Services.AddComposeEngine(store, storage, settings ?? FastSettings, roles);
        var host = builder.Build();
        await host.StartAsync();
        return new TestEngineHost(host, build, koji);
    }

    public async Task<Compose> SubmitAsync(NewCompose compose) => (await Operations.SubmitAsync(compose, CancellationToken.None)).Compose;

    public Task<Compose> WaitForFinalAsync(Guid id) =>
        Eventually.ValueAsync(async () => (await Store.GetAsync(id, CancellationToken.None))!, c => c.State.IsFinal(), $"compose {id} to end");

    public Task<Compose> WaitForAsync(Guid id, Func<Compose, bool> condition, string what) =>
        Eventually.ValueAsync(async () => (await Store.GetAsync(id, CancellationToken.None))!, condition, what);

    /// <summary>Graceful stop: running steps get the shutdown grace, then hand their steps back.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _host.StopAsync(TimeSpan.FromSeconds(30));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}
