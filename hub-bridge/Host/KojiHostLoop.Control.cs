using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubBridge.Transport;

namespace KojiComposer.HubBridge.Host;

/// <summary>
/// The control subsession (koji-wire.md §4.2: same login, inherits exclusivity, own call numbers): the heartbeat,
/// the poll, the cancellation watch and the outcome writes use it, so none of them waits behind a handler's long
/// call on the master. A subsession is not renewed or re-established by itself: when the hub no longer knows it
/// (its master logged in again after a hub restart, it expired), a new one is opened from the master, which does
/// re-establish itself.
/// </summary>
public sealed partial class KojiHostLoop
{
    private readonly List<KojiSession> _retiredControls = [];
    private Task<KojiSession>? _control;

    /// <summary>Runs <paramref name="call"/> on the control subsession, opening a new one once if the hub says the
    /// current one is gone (the refused call did not run, so sending it again is safe).</summary>
    private async Task<T> ControlAsync<T>(Func<KojiSession, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var session = await ControlSessionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await call(session, cancellationToken).ConfigureAwait(false);
            }
            catch (KojiAuthErrorFault fault) when (attempt == 1 && IsSessionGone(fault))
            {
                RetireControl(session, fault);
            }
        }
    }

    private Task ControlAsync(Func<KojiSession, CancellationToken, Task> call, CancellationToken cancellationToken) =>
        ControlAsync<object?>(async (s, ct) =>
        {
            await call(s, ct).ConfigureAwait(false);
            return null;
        }, cancellationToken);

    private static bool IsSessionGone(KojiAuthErrorFault fault) =>
        fault is KojiAuthExpiredFault || KojiRetryPolicy.IsInvalidSession(fault);

    /// <summary>The current control subsession; opened once for all callers, again after a failed opening.</summary>
    private Task<KojiSession> ControlSessionAsync(CancellationToken cancellationToken)
    {
        Task<KojiSession> opening;
        lock (_sync)
        {
            if (_control is null || _control.IsFaulted || _control.IsCanceled)
            {
                // Not the caller's token: other callers share the opening. The session's retry policy bounds it.
                _control = _master.OpenSubsessionAsync(CancellationToken.None);
            }

            opening = _control;
        }

        return opening.WaitAsync(cancellationToken);
    }

    /// <summary>Forgets a subsession the hub refused; it is disposed at the end, as other calls may still hold it.</summary>
    private void RetireControl(KojiSession session, KojiAuthErrorFault fault)
    {
        lock (_sync)
        {
            if (_control is not { IsCompletedSuccessfully: true } current || !ReferenceEquals(current.Result, session))
            {
                return; // another caller retired it already
            }

            _control = null;
            _retiredControls.Add(session);
        }

        Log.HostSubsessionLost(_logger, _hub, session.SessionId, fault.FaultString);
    }

    /// <summary>Logs out the control subsession and the master (which closes its subsessions on the hub too).</summary>
    private async Task CloseSessionsAsync()
    {
        List<KojiSession> sessions;
        lock (_sync)
        {
            sessions = [.. _retiredControls];
            if (_control is { IsCompletedSuccessfully: true } control)
            {
                sessions.Add(control.Result);
            }

            _control = null;
        }

        foreach (var session in sessions)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }

        await _master.DisposeAsync().ConfigureAwait(false);
    }
}
