using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Store;

namespace KojiComposer.Scheduler.Engine;

/// <summary>
/// Told about step and compose events as they happen (metrics). Implementations must be cheap and must not throw.
/// </summary>
public interface IComposeObserver
{
    /// <summary>A step started running after waiting <paramref name="queuedFor"/> since it was ready.</summary>
    void StepStarted(StepKind kind, string? arch, TimeSpan queuedFor);

    /// <summary>A step ended after running <paramref name="duration"/>; <paramref name="outcome"/> is
    /// <c>success</c>, <c>failure</c> or <c>canceled</c>.</summary>
    void StepFinished(StepKind kind, string? arch, TimeSpan duration, string outcome);

    /// <summary>A compose reached its final state.</summary>
    void ComposeFinished(ComposeState state);
}

/// <summary>Tells several observers; with none registered it tells nobody.</summary>
internal sealed class CompositeComposeObserver(IReadOnlyList<IComposeObserver> observers) : IComposeObserver
{
    public void StepStarted(StepKind kind, string? arch, TimeSpan queuedFor)
    {
        foreach (var observer in observers)
        {
            observer.StepStarted(kind, arch, queuedFor);
        }
    }

    public void StepFinished(StepKind kind, string? arch, TimeSpan duration, string outcome)
    {
        foreach (var observer in observers)
        {
            observer.StepFinished(kind, arch, duration, outcome);
        }
    }

    public void ComposeFinished(ComposeState state)
    {
        foreach (var observer in observers)
        {
            observer.ComposeFinished(state);
        }
    }
}
