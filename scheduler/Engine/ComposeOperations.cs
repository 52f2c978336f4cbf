using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Store;

namespace KojiComposer.Scheduler.Engine;

/// <summary>The engine's <see cref="IComposeOperations"/>: store first, then enqueue what became ready.</summary>
internal sealed class ComposeOperations(IComposeStore store, StepEnqueuer enqueuer, TimeProvider time) : IComposeOperations
{
    public async Task<(Compose Compose, bool Created)> SubmitAsync(NewCompose compose, CancellationToken cancellationToken)
    {
        var (stored, created) = await store.CreateAsync(compose, time.GetUtcNow(), cancellationToken);
        if (created)
        {
            await enqueuer.EnqueueAsync(stored, StepRef.Init(stored.Id), cancellationToken);
        }

        return (stored, created);
    }

    public async Task<CancelOutcome> CancelAsync(Guid composeId, CancellationToken cancellationToken)
    {
        var result = await store.RequestCancelAsync(composeId, time.GetUtcNow(), cancellationToken);
        if (result.FinalizeClaimed)
        {
            await enqueuer.EnqueueAsync(StepRef.Finalize(composeId), cancellationToken);
        }

        return result.Outcome;
    }

    public async Task<RetryResult> RetryFailedAsync(Guid composeId, CancellationToken cancellationToken)
    {
        // A compose our own task intake made for a Koji task ended with that task (closed or failed): building it
        // again would import a build no task closes or tags. API composes (e.g. the stock builder plugin's) keep
        // retry-failed.
        if (store is Koji.Tasks.IKojiTaskStore tasks
            && await store.GetAsync(composeId, cancellationToken) is { KojiTaskId: { } taskId }
            && await tasks.GetTaskAsync(taskId, cancellationToken) is { } record && record.ComposeId == composeId)
        {
            return new RetryResult(RetryOutcome.KojiTask, 0);
        }

        var result = await store.RetryFailedAsync(composeId, time.GetUtcNow(), cancellationToken);
        if (result.Outcome == RetryOutcome.Restarted)
        {
            await enqueuer.EnqueueAsync(StepRef.Init(composeId), cancellationToken);
        }

        return result;
    }
}
