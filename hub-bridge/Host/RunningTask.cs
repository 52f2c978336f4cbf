using KojiComposer.HubBridge.Calls;

namespace KojiComposer.HubBridge.Host;

/// <summary>One task the loop runs: its handler, its stop signal and why it fired, and the run itself.</summary>
internal sealed class RunningTask : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private int _reason;
    private volatile bool _waiting;

    public RunningTask(KojiTaskInfo info, IKojiTaskHandler handler, bool resumed, bool recordOpened)
    {
        Info = info;
        Handler = handler;
        Resumed = resumed;
        RecordOpened = recordOpened;
    }

    public long Id => Info.Id;

    public string Method => Info.Method;

    public KojiTaskInfo Info { get; }

    public IKojiTaskHandler Handler { get; }

    public bool Resumed { get; }

    /// <summary>The journal's <see cref="IKojiTaskJournal.OpenedAsync"/> is still due before the handler runs.</summary>
    public bool RecordOpened { get; }

    /// <summary>Stopped before the handler ran (a task Koji canceled while no loop ran): its outcome is
    /// <see cref="KojiTaskOutcome.Canceled"/> whatever the handler says.</summary>
    public bool StoppedBeforeStart { get; init; }

    public CancellationToken Stopped => _stop.Token;

    public KojiTaskStopReason Reason => (KojiTaskStopReason)Volatile.Read(ref _reason);

    /// <summary>The hub's <c>waiting</c> flag as the latest <c>host.getHostTasks</c> showed it (a waiting parent's weight
    /// does not count towards the load).</summary>
    public bool Waiting
    {
        get => _waiting;
        set => _waiting = value;
    }

    /// <summary>The run (handler and report); set once when the run starts.</summary>
    public Task Completion { get; set; } = Task.CompletedTask;

    /// <summary>Fires <see cref="Stopped"/>; the first reason sticks. False when it had fired already.</summary>
    public bool Stop(KojiTaskStopReason reason)
    {
        if (Interlocked.CompareExchange(ref _reason, (int)reason, (int)KojiTaskStopReason.None) != (int)KojiTaskStopReason.None)
        {
            return false;
        }

        try
        {
            _stop.Cancel();
        }
        catch (AggregateException)
        {
            // A handler's registration threw; the token is cancelled all the same.
        }
        catch (ObjectDisposedException)
        {
            // The run ended meanwhile (the cancellation watch may still hold it).
        }

        return true;
    }

    public void Dispose() => _stop.Dispose();
}
