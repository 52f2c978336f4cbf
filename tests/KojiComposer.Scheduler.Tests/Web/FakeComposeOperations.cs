using System.Collections.Concurrent;
using KojiComposer.Scheduler.Engine;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Store;

namespace KojiComposer.Scheduler.Tests.Web;

/// <summary>The engine's operations as the web front sees them: submissions go to the store; cancel and retry
/// answer what the test sets and are recorded.</summary>
internal sealed class FakeComposeOperations(IComposeStore store, TimeProvider time) : IComposeOperations
{
    public ConcurrentQueue<NewCompose> Submitted { get; } = new();

    public ConcurrentQueue<Guid> Canceled { get; } = new();

    public ConcurrentQueue<Guid> Retried { get; } = new();

    public CancelOutcome CancelOutcome { get; set; } = CancelOutcome.Requested;

    public RetryResult RetryResult { get; set; } = new(RetryOutcome.Restarted, 1);

    public Task<(Compose Compose, bool Created)> SubmitAsync(NewCompose compose, CancellationToken cancellationToken)
    {
        Submitted.Enqueue(compose);
        return store.CreateAsync(compose, time.GetUtcNow(), cancellationToken);
    }

    public Task<CancelOutcome> CancelAsync(Guid composeId, CancellationToken cancellationToken)
    {
        Canceled.Enqueue(composeId);
        return Task.FromResult(CancelOutcome);
    }

    public Task<RetryResult> RetryFailedAsync(Guid composeId, CancellationToken cancellationToken)
    {
        Retried.Enqueue(composeId);
        return Task.FromResult(RetryResult);
    }
}
