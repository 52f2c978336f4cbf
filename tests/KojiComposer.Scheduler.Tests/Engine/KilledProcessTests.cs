using KojiComposer.Contracts.Images;
using KojiComposer.Scheduler.Hosting;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.TestHost;

namespace KojiComposer.Scheduler.Tests.Engine;

/// <summary>
/// Processes that die without warning (SIGKILL): the service killed mid-compose and restarted on the same store,
/// and (PostgreSQL, where builders run in their own processes) a builder killed mid-build.
/// </summary>
public abstract class KilledProcessTests : IDisposable
{
    protected KilledProcessTests(EngineBackend backend)
    {
        Backend = backend;
    }

    protected EngineBackend Backend { get; }

    public void Dispose()
    {
        Backend.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task ServiceKilledMidCompose_RestartedServiceFinishesIt_WithTheSameReservation()
    {
        var store = await Backend.OpenStoreAsync();
        Guid id;
        await using (var child = ChildEngineProcess.Start(Backend.Settings, "--scheduler", "--arches", "x86_64,aarch64", "--submit", "--block", "--build-id", "7000", "--name", "crashed"))
        {
            id = Guid.Parse(await child.WaitForLineAsync("submitted "));
            await Eventually.ValueAsync(() => store.GetAsync(id, CancellationToken.None), c => c!.Images.All(i => i.State == ImageState.Building), "every image building in the child");
            await child.KillAsync();
        }

        var killed = (await store.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(ComposeState.Running, killed.State);
        Assert.Equal(7000, killed.Reservation!.BuildId);

        // The restarted service: a new process on the same store (for the embedded store, an empty in-memory
        // queue: everything comes back through the reconciler).
        // As the service sets it up: the embedded (single-process) store ends the dead process's leases at start-up.
        var settings = TestEngineHost.FastSettings with { ExpireLeasesAtStart = Backend.Settings.Kind == StoreKind.Embedded };
        await using var restarted = await TestEngineHost.StartAsync(await Backend.OpenStoreAsync(), Backend.OpenJobStorage(), new RoleSettings { BuildArches = ["x86_64", "aarch64"], BuildWorkers = 4, ServerName = "restarted" }, settings);
        var done = await restarted.WaitForFinalAsync(id);

        Assert.Equal(ComposeState.Success, done.State);
        Assert.Empty(restarted.Koji.Reserves);
        Assert.Equal([(id, 7000L)], restarted.Koji.Imports);
        Assert.All(done.Images, i => Assert.Equal((1, 2), (i.LostWorkers, i.Attempts)));
        Assert.All(done.Images, i => Assert.Equal(1, restarted.Build.RunsOf(id, i.Index)));
    }
}

/// <summary>Killed processes on the embedded store.</summary>
public sealed class EmbeddedKilledProcessTests() : KilledProcessTests(new EmbeddedBackend());

/// <summary>Killed processes on PostgreSQL, including a builder on its own.</summary>
public sealed class PostgresKilledProcessTests(KojiComposer.Testing.PostgresDatabaseFixture database)
    : KilledProcessTests(new PostgresBackend(database)), IClassFixture<KojiComposer.Testing.PostgresDatabaseFixture>
{
    [Fact]
    public async Task BuilderProcessKilledMidBuild_ImageIsBuiltByAnotherBuilder()
    {
        var store = await Backend.OpenStoreAsync();
        var storage = Backend.OpenJobStorage();
        await using var scheduler = await TestEngineHost.StartAsync(store, storage, new RoleSettings { BuildArches = ["aarch64"], ServerName = "sched" });
        await using var child = ChildEngineProcess.Start(Backend.Settings, "--arches", "x86_64", "--block", "--name", "doomed");
        var compose = await scheduler.SubmitAsync(Composes.Koji(["x86_64", "aarch64"], ["guest-image"]));
        var building = await scheduler.WaitForAsync(compose.Id, c => c.Images[0].State == ImageState.Building && c.Images[0].Progress is not null && c.Images[1].State == ImageState.Success, "x86_64 building in the child, with progress");
        Assert.StartsWith("doomed:", building.Images[0].Worker, StringComparison.Ordinal);
        Assert.Equal(1, building.Images[0].Progress!.Done);

        await child.KillAsync();
        await using var replacement = await TestEngineHost.StartAsync(store, storage, new RoleSettings { Scheduler = false, BuildArches = ["x86_64"], ServerName = "replacement" }, koji: scheduler.Koji);
        var done = await scheduler.WaitForFinalAsync(compose.Id);

        Assert.Equal(ComposeState.Success, done.State);
        Assert.Equal((1, 2), (done.Images[0].LostWorkers, done.Images[0].Attempts));
        Assert.StartsWith("replacement:", done.Images[0].Worker, StringComparison.Ordinal);
        Assert.Equal(1, replacement.Build.RunsOf(compose.Id, 0));
        Assert.Single(scheduler.Koji.Imports);
        Assert.Empty(scheduler.Koji.Refunds);
    }
}
