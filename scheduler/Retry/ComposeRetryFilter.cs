using Hangfire.Common;
using Hangfire.States;
using KojiComposer.Scheduler.Jobs;
using KojiComposer.Scheduler.Store;

namespace KojiComposer.Scheduler.Retry;

/// <summary>
/// Hangfire's side of the retry policy, replacing its <c>AutomaticRetry</c> (which retries everything ten times):
/// a failed step run whose error is transient is scheduled again with backoff; anything else stays failed. The
/// step job has already handed its lease back or recorded the failure by then (<see cref="StepRetryPolicy"/>).
/// </summary>
internal sealed class ComposeRetryFilter(StepRetryPolicy policy) : JobFilterAttribute, IElectStateFilter
{
    /// <summary>Job parameter holding the number of retries so far (the same name Hangfire's AutomaticRetry uses,
    /// so the dashboard shows it).</summary>
    public const string RetryCountParameter = "RetryCount";

    public void OnStateElection(ElectStateContext context)
    {
        if (context.CandidateState is not FailedState failed || failed.Exception is StepFailedException)
        {
            return;
        }

        var kind = context.BackgroundJob.Job.Type == typeof(InitJob) ? StepKind.Init
            : context.BackgroundJob.Job.Type == typeof(FinalizeJob) ? StepKind.Finalize
            : StepKind.Image;
        var retries = context.GetJobParameter<int>(RetryCountParameter);
        var decision = policy.Decide(kind, failed.Exception, retries);
        if (!decision.Retry)
        {
            return;
        }

        context.SetJobParameter(RetryCountParameter, retries + 1);
        context.CandidateState = new ScheduledState(decision.Delay)
        {
            Reason = $"transient error, retry {retries + 1} in {decision.Delay.TotalSeconds:0} s: {failed.Exception.Message}",
        };
    }
}
