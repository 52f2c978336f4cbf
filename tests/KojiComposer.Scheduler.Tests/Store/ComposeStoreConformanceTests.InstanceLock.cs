namespace KojiComposer.Scheduler.Tests.Store;

/// <summary>The instance lock: one holder among every process sharing the store (the hub bridge's "only one
/// builder host" guard, which makes forcing the exclusive session after a crash safe).</summary>
public abstract partial class ComposeStoreConformanceTests
{
    [Fact]
    public async Task InstanceLock_HasOneHolderAtATime_AcrossStoreInstances_AndIsFreeAgainOnceReleased()
    {
        var other = await OpenStoreAsync();

        var held = await Store.TryLockInstanceAsync("hub-bridge https://koji.example.com/kojihub compile/b1@EXAMPLE.COM", CancellationToken.None);
        var refused = await other.TryLockInstanceAsync("hub-bridge https://koji.example.com/kojihub compile/b1@EXAMPLE.COM", CancellationToken.None);
        var another = await other.TryLockInstanceAsync("hub-bridge https://koji.example.com/kojihub compile/b2@EXAMPLE.COM", CancellationToken.None);

        Assert.NotNull(held);
        Assert.Null(refused);
        Assert.NotNull(another); // another host's lock is another lock
        await held.DisposeAsync();
        var taken = await other.TryLockInstanceAsync("hub-bridge https://koji.example.com/kojihub compile/b1@EXAMPLE.COM", CancellationToken.None);
        Assert.NotNull(taken);
        await taken.DisposeAsync();
        await another.DisposeAsync();
    }
}
