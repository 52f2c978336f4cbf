using KojiComposer.HubBridge.Faults;

namespace KojiComposer.HubBridge.Transport;

/// <summary>What to do after one attempt of a call failed.</summary>
internal enum RetryDecision
{
    /// <summary>Give up: throw the error.</summary>
    Fail,

    /// <summary>Send the same request again (same call number) after <see cref="KojiRetryPolicy.Delay"/>.</summary>
    Resend,

    /// <summary>The hub says it is offline (1014): wait longer, then send the same request again.</summary>
    ResendWhenOnline,

    /// <summary>The session expired (1007): renew it, then send again with a new call number.</summary>
    RenewSession,

    /// <summary>The session is gone (1002 invalid session): log in again, then send again.</summary>
    LogInAgain,

    /// <summary>Our call number is behind the hub's (1008): the call did not run; jump past and send again.</summary>
    SkipCallNumber,

    /// <summary>
    /// RetryError 1009 after we re-sent a write: the first attempt committed and its reply was lost. The call's
    /// own check reads back the state it produced (koji-wire.md §5).
    /// </summary>
    AlreadyCommitted,
}

/// <summary>
/// Every retry decision of the hub bridge, in one place (koji-wire.md §4.3 and §5):
/// <list type="bullet">
/// <item>transport errors, 5xx, 408 and 429: the same request again, same call number, with capped exponential
/// backoff and jitter. That is safe for every kind of call: the hub either never ran it, or it was a read, or the
/// hub refuses to run a committed write twice (1009);</item>
/// <item>faults are answers, never retried, except ServerOffline 1014 (wait), AuthExpired 1007 (renew once),
/// an invalid session (log in again once), SequenceError 1008 (the call did not run) and LockError 1001 on an
/// upload chunk (a request the hub still runs — typically our own attempt whose connection was cut — holds the
/// file's lock; re-sending the chunk at its offset is idempotent);</item>
/// <item>RetryError 1009 on a re-sent write means it happened: the caller checks the hub's state.</item>
/// </list>
/// </summary>
internal sealed class KojiRetryPolicy
{
    private readonly KojiRetryOptions _options;

    public KojiRetryPolicy(KojiRetryOptions options)
    {
        _options = options;
    }

    public int MaxAttempts => Math.Max(1, _options.Attempts);

    /// <summary>Decides what follows a failed attempt (1-based) of a call of the given kind.</summary>
    public RetryDecision Decide(Exception error, KojiCallKind kind, int attempt, bool resent, bool renewedAlready)
    {
        switch (error)
        {
            case KojiTransportException:
                return attempt < MaxAttempts ? RetryDecision.Resend : RetryDecision.Fail;
            case KojiServerOfflineFault:
                return attempt < MaxAttempts ? RetryDecision.ResendWhenOnline : RetryDecision.Fail;
            case KojiAuthExpiredFault:
                return renewedAlready ? RetryDecision.Fail : RetryDecision.RenewSession;
            case KojiAuthErrorFault auth when IsInvalidSession(auth):
                return renewedAlready ? RetryDecision.Fail : RetryDecision.LogInAgain;
            case KojiLockErrorFault when kind == KojiCallKind.Upload:
                return attempt < MaxAttempts ? RetryDecision.Resend : RetryDecision.Fail;
            case KojiSequenceErrorFault:
                return attempt < MaxAttempts ? RetryDecision.SkipCallNumber : RetryDecision.Fail;
            case KojiRetryErrorFault when resent && kind == KojiCallKind.Write:
                return RetryDecision.AlreadyCommitted;
            default:
                return RetryDecision.Fail;
        }
    }

    /// <summary>The hub's text when a session id/key pair is unknown, logged out or replaced (kojihub/auth.py).</summary>
    internal static bool IsInvalidSession(KojiFaultException fault) =>
        fault.FaultString.Contains("Invalid session or bad credentials", StringComparison.Ordinal);

    /// <summary>Backoff before attempt <paramref name="attempt"/> + 1: 1 s, 2 s, 4 s ... capped, with ±20 % jitter.</summary>
    public TimeSpan Delay(int attempt, RetryDecision decision)
    {
        if (decision == RetryDecision.ResendWhenOnline)
        {
            return _options.ServerOfflineWait;
        }

        var exponential = _options.InitialDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1));
        var capped = Math.Min(exponential, _options.MaxDelay.TotalMilliseconds);
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(capped * jitter);
    }

    /// <summary>Reads the hub's stored call number out of a SequenceError text: <c>20 &gt; 19 (session 48)</c>.</summary>
    internal static long? StoredCallNumber(KojiFaultException fault)
    {
        var text = fault.FaultString;
        var end = text.IndexOf(" > ", StringComparison.Ordinal);
        return end > 0 && long.TryParse(text.AsSpan(0, end), System.Globalization.CultureInfo.InvariantCulture, out var stored) ? stored : null;
    }
}
