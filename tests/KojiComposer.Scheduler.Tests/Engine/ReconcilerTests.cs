using Hangfire;
using KojiComposer.Scheduler.Engine;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Store;
using KojiComposer.Scheduler.TestHost;
using Microsoft.Extensions.Logging.Abstractions;

namespace KojiComposer.Scheduler.Tests.Engine;

public sealed class ReconcilerTests : IDisposable
{
    private readonly EmbeddedBackend _backend = new();

    public void Dispose() => _backend.Dispose();

    [Fact]
    public async Task Reconcile_LeavesAJustSubmittedStepAlone_AndEnqueuesItOnlyWhenItIsStillWithoutAJobOnePassLater()
    {
        var store = await _backend.OpenStoreAsync();
        var storage = _backend.OpenJobStorage();
        var reconciler = NewReconciler(store, storage);
        // Written to the store, its enqueue not done yet (or lost in a crash).
        var (compose, _) = await store.CreateAsync(Composes.Koji(["x86_64"], ["guest-image"]), DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(0, await reconciler.ReconcileOnceAsync(CancellationToken.None));
        Assert.Equal(0L, storage.GetMonitoringApi().EnqueuedCount("compose-init"));

        Assert.Equal(1, await reconciler.ReconcileOnceAsync(CancellationToken.None));
        Assert.Equal(1L, storage.GetMonitoringApi().EnqueuedCount("compose-init"));
        Assert.Equal(0, await reconciler.ReconcileOnceAsync(CancellationToken.None));
        Assert.Equal(ComposeState.Pending, (await store.GetAsync(compose.Id, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task Reconcile_EnqueuesAtOnce_AStepWhoseRecordedJobIsGone()
    {
        var store = await _backend.OpenStoreAsync();
        var (compose, _) = await store.CreateAsync(Composes.Koji(["x86_64"], ["guest-image"]), DateTimeOffset.UtcNow, CancellationToken.None);
        // Enqueued before a restart into an in-memory queue that is gone now.
        await store.MarkEnqueuedAsync(StepRef.Init(compose.Id), Guid.NewGuid().ToString(), DateTimeOffset.UtcNow, CancellationToken.None);
        var storage = _backend.OpenJobStorage();

        Assert.Equal(1, await NewReconciler(store, storage).ReconcileOnceAsync(CancellationToken.None));
        Assert.Equal(1L, storage.GetMonitoringApi().EnqueuedCount("compose-init"));
    }

    private static Reconciler NewReconciler(IComposeStore store, JobStorage storage) =>
        new(store, storage, new StepEnqueuer(new BackgroundJobClient(storage), store, TimeProvider.System), TestEngineHost.FastSettings, TimeProvider.System, NullLogger<Reconciler>.Instance);
}
