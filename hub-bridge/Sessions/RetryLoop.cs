using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Transport;
using Microsoft.Extensions.Logging;

namespace KojiComposer.HubBridge.Sessions;

/// <summary>
/// Runs one call under <see cref="KojiRetryPolicy"/>: the only loop in the hub bridge that repeats anything. The
/// session supplies what the policy's session decisions need (renew, log in again, skip call numbers).
/// </summary>
internal static class RetryLoop
{
    /// <summary>Session-specific steps; anonymous calls have none.</summary>
    internal interface ISessionSteps
    {
        /// <summary>The call number for a new request.</summary>
        long? NextCallNumber();

        /// <summary>Carries out a session decision; false when it cannot (then the error stands).</summary>
        Task<bool> HandleAsync(RetryDecision decision, KojiException error, CancellationToken cancellationToken);
    }

    /// <summary>
    /// Thrown inside the loop when a re-sent write may have run already: RetryError after a resend (it did), any
    /// other fault after a resend, or a session that had to be renewed after a resend (it may have). The call's
    /// own check then reads the state the write produces (koji-wire.md §5) instead of sending it under a new call
    /// number, which the hub could not refuse (§4.3: never re-send a committed write with a new callnum blindly).
    /// </summary>
    internal sealed class OutcomeUnknownSignal(KojiException error) : Exception(error.Message, error)
    {
        public KojiException Error { get; } = error;
    }

    public static async Task<object?> RunAsync(
        KojiRetryPolicy policy, ILogger logger, TimeProvider time, string hub, KojiCall call, ISessionSteps? steps,
        Func<long?, CancellationToken, Task<object?>> send, CancellationToken cancellationToken, Action? onResend = null)
    {
        var callNumber = steps?.NextCallNumber();
        var resent = false;
        var sessionActionTaken = false;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await send(callNumber, cancellationToken).ConfigureAwait(false);
            }
            catch (KojiException error) when (error is KojiTransportException or KojiFaultException)
            {
                var decision = policy.Decide(error, call.Kind, attempt, resent, sessionActionTaken);
                switch (decision)
                {
                    case RetryDecision.Resend:
                    case RetryDecision.ResendWhenOnline:
                        var delay = policy.Delay(attempt, decision);
                        Log.Retrying(logger, hub, call.Method, attempt, (long)delay.TotalMilliseconds, error.Message);
                        await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                        resent = true;
                        onResend?.Invoke();
                        continue;
                    case RetryDecision.RenewSession:
                    case RetryDecision.LogInAgain:
                    case RetryDecision.SkipCallNumber:
                        if (steps is null || !await steps.HandleAsync(decision, error, cancellationToken).ConfigureAwait(false))
                        {
                            throw;
                        }

                        if (resent && call.Kind == KojiCallKind.Write)
                        {
                            // The first attempt may have committed before the session changed under it.
                            throw new OutcomeUnknownSignal(error);
                        }

                        sessionActionTaken |= decision != RetryDecision.SkipCallNumber;
                        callNumber = steps.NextCallNumber();
                        resent = false;
                        continue;
                    case RetryDecision.AlreadyCommitted:
                        throw new OutcomeUnknownSignal(error);
                    case RetryDecision.Fail when resent && call.Kind == KojiCallKind.Write && call.IfAlreadyCommitted is not null && error is KojiFaultException:
                        // e.g. a timed-out CGImport re-sent while the first still ran: the second one's fault says
                        // nothing about whether the first committed.
                        throw new OutcomeUnknownSignal(error);
                    default:
                        if (error is KojiTransportException && attempt > 1)
                        {
                            throw new KojiTransportException($"{error.Message} (gave up after {attempt} attempts)", ((KojiTransportException)error).HttpStatus, error);
                        }

                        throw;
                }
            }
        }
    }
}
