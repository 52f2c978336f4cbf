namespace KojiComposer.HubBridge;

/// <summary>
/// Base of every error raised while talking to a Koji hub. <see cref="IsTransient"/> is what the session's retry
/// policy and, later, the scheduler's Hangfire filters look at: nothing else decides whether to retry.
/// </summary>
public abstract class KojiException : Exception
{
    protected KojiException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>True when the same call may succeed if tried again later.</summary>
    public abstract bool IsTransient { get; }
}
