namespace KojiComposer.Contracts.Errors;

/// <summary>
/// Thrown by a compose step (reservation, image build, import) to end it with a known <see cref="JobError"/>.
/// <see cref="IsTransient"/> says whether trying the step again later may succeed; the scheduler's retry filter is
/// the only place that acts on it.
/// </summary>
public sealed class ComposeStepException : Exception
{
    /// <summary>Creates the exception from the error users will see.</summary>
    public ComposeStepException(JobError error, bool isTransient = false, Exception? innerException = null)
        : base((error ?? throw new ArgumentNullException(nameof(error))).Reason, innerException)
    {
        Error = error;
        IsTransient = isTransient;
    }

    /// <summary>The error recorded for the step when it is not retried (again).</summary>
    public JobError Error { get; }

    /// <summary>True when the same step may succeed if run again later.</summary>
    public bool IsTransient { get; }
}
