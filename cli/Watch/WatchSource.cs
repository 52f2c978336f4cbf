namespace KojiComposer.Cli.Watch;

/// <summary>Where the watch reads from: the service's API or the hub.</summary>
internal abstract class WatchSource
{
    /// <summary>What is known now.</summary>
    public abstract Task<WatchState> ReadAsync(CancellationToken cancellationToken);
}
