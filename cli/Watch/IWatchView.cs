namespace KojiComposer.Cli.Watch;

/// <summary>How a watch is shown: plain lines, or a live display on a terminal.</summary>
internal interface IWatchView
{
    /// <summary>Runs <paramref name="loop"/>, which hands every state it reads to the callback it is given and
    /// returns the last one (a live display owns the console while it runs).</summary>
    Task<WatchState> RunAsync(Func<Action<WatchState>, Task<WatchState>> loop);

    /// <summary>The static summary at the end.</summary>
    void Finish(WatchState state, string result);
}
