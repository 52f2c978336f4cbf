using KojiComposer.Contracts.Errors;

namespace KojiComposer.Scheduler.Retry;

/// <summary>
/// Thrown by a step job after it recorded its step as failed, so that Hangfire shows the job as failed with the
/// error users see in the compose, and never retries it (the compose has moved on).
/// </summary>
public sealed class StepFailedException : Exception
{
    /// <summary>Creates the exception for the recorded <paramref name="error"/>.</summary>
    public StepFailedException(string step, JobError error, Exception? innerException = null)
        : base($"{step}: {(error ?? throw new ArgumentNullException(nameof(error)))}", innerException)
    {
        Error = error;
    }

    /// <summary>The error recorded for the step.</summary>
    public JobError Error { get; }
}
