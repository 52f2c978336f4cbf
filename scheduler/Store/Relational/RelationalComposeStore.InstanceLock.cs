namespace KojiComposer.Scheduler.Store.Relational;

internal abstract partial class RelationalComposeStore
{
    public abstract Task<IAsyncDisposable?> TryLockInstanceAsync(string name, CancellationToken cancellationToken);
}
