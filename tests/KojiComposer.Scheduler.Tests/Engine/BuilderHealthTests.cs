using KojiComposer.Scheduler.Hosting;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.TestHost;
using KojiComposer.Scheduler.Web.Health;

namespace KojiComposer.Scheduler.Tests.Engine;

public sealed class BuilderHealthTests : IDisposable
{
    private readonly EmbeddedBackend _backend = new();

    public void Dispose() => _backend.Dispose();

    [Fact]
    public async Task Builders_AreDegraded_WhenImagesWaitForAnArchNobodyBuilds_AndNameWhoServesWhat()
    {
        var store = await _backend.OpenStoreAsync();
        var storage = _backend.OpenJobStorage();
        await using var host = await TestEngineHost.StartAsync(store, storage, new RoleSettings { BuildArches = ["x86_64"], BuildWorkers = 3, ServerName = "builder1" });
        var health = new BuilderHealth(storage, store, TimeProvider.System);

        var idle = await Eventually.ValueAsync(() => health.CheckAsync(CancellationToken.None), r => r.Details!.Contains("x86_64", StringComparison.Ordinal), "the builder server to register");
        Assert.Equal(HealthStatus.Ok, idle.Status);
        Assert.Equal($"x86_64: builder1:builder (pid {Environment.ProcessId}, 3 workers; no osbuild version advertised)", idle.Details);

        var compose = await host.SubmitAsync(Composes.Koji(["ppc64le"], ["guest-image"]));
        await host.WaitForAsync(compose.Id, c => c.State == ComposeState.Running, "the reservation");
        var stuck = await health.CheckAsync(CancellationToken.None);

        Assert.Equal(HealthStatus.Degraded, stuck.Status);
        Assert.Equal($"1 ppc64le image wait but no builder serves build-ppc64le; x86_64: builder1:builder (pid {Environment.ProcessId}, 3 workers; no osbuild version advertised)", stuck.Details);
    }
}
