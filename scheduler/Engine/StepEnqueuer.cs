using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using KojiComposer.Contracts.Queues;
using KojiComposer.Scheduler.Jobs;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Store;

namespace KojiComposer.Scheduler.Engine;

/// <summary>
/// Puts "run this step" messages on Hangfire queues and records each job id in the store. The store is always
/// written first (the step is pending there), so a crash before the enqueue only delays the step until the
/// reconciler sees it.
/// </summary>
internal sealed class StepEnqueuer(IBackgroundJobClient client, IComposeStore store, TimeProvider time)
{
    public async Task EnqueueAsync(StepRef step, CancellationToken cancellationToken)
    {
        var compose = await store.GetAsync(step.ComposeId, cancellationToken);
        if (compose is null || compose.State.IsFinal())
        {
            return;
        }

        await EnqueueAsync(compose, step, cancellationToken);
    }

    public async Task EnqueueAsync(Compose compose, StepRef step, CancellationToken cancellationToken)
    {
        var jobId = step.Kind switch
        {
            StepKind.Init => Create(Job.FromExpression<InitJob>(
                job => job.RunAsync(JobDescriptions.Init(compose), compose.Id, null, CancellationToken.None), QueueNames.Init)),
            StepKind.Image => EnqueueImage(compose, compose.Images[step.ImageIndex]),
            StepKind.Finalize => Create(Job.FromExpression<FinalizeJob>(
                job => job.RunAsync(JobDescriptions.Finalize(compose), compose.Id, null, CancellationToken.None), QueueNames.Finalize)),
            _ => throw new ArgumentOutOfRangeException(nameof(step)),
        };
        await store.MarkEnqueuedAsync(step, jobId, time.GetUtcNow(), cancellationToken);
    }

    private string EnqueueImage(Compose compose, ComposeImage image) =>
        Create(Job.FromExpression<ImageJob>(
            job => job.RunAsync(JobDescriptions.Image(compose, image), compose.Id, image.Index, null, CancellationToken.None),
            QueueNames.Build(image.Arch)));

    // The queue goes into the job itself, not only into its first EnqueuedState: a job retried later (Scheduled,
    // then enqueued again) would otherwise land on Hangfire's "default" queue, which no server of ours serves.
    private string Create(Job job) => client.Create(job, new EnqueuedState(job.Queue));
}
