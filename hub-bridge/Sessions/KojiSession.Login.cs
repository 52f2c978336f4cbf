using KojiComposer.HubBridge.Authentication;
using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Transport;
using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.HubBridge.Sessions;

public sealed partial class KojiSession
{
    private async Task EstablishAsync(CancellationToken cancellationToken)
    {
        _session = await SslLoginAsync(renew: false, cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _nextCallNumber, 0);
        Log.LoggedIn(_logger, _http.Hub, Identity.Principal ?? Identity.ToString(), _session.Id, UsesHeaders ? "headers" : "URL query");
        if (Identity is { KeytabPath: null, Principal: { } expected })
        {
            // The ambient credential cache holds whoever ran kinit last: make sure that is who the config names,
            // before exclusivity (forced or not) could touch another principal's sessions.
            var user = await GetLoggedInUserAsync(cancellationToken).ConfigureAwait(false);
            if (user is null || !user.KrbPrincipals.Contains(expected, StringComparer.Ordinal) && !string.Equals(user.KrbPrincipal, expected, StringComparison.Ordinal))
            {
                await LogoutAsync(cancellationToken).ConfigureAwait(false);
                throw new KerberosException(_http.Describe("sslLogin",
                    $"the ambient credential cache logged us in as {user?.KrbPrincipal ?? user?.Name ?? "nobody"}, not {expected} (kinit as {expected}, or configure a keytab)"));
            }
        }

        if (_options.Exclusive)
        {
            await MakeExclusiveAsync(_options.ForceExclusive, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task MakeExclusiveAsync(bool force, CancellationToken cancellationToken)
    {
        // exclusiveSession(force=True) travels as a keyword struct, as koji's client sends it (koji-wire.md §2.2).
        var call = force
            ? KojiCall.Write("exclusiveSession", new KojiKeywordArguments(new Dictionary<string, object?> { ["force"] = true }))
            : KojiCall.Write("exclusiveSession");
        try
        {
            await RetryLoop.RunAsync(_policy, _logger, _time, _http.Hub, call, _steps,
                (n, ct) => SendAsync(call, n, ct),
                cancellationToken).ConfigureAwait(false);
        }
        catch (RetryLoop.OutcomeUnknownSignal signal) when (signal.Error is KojiRetryErrorFault)
        {
            // The first attempt made the session exclusive; only its reply was lost.
        }

        IsExclusive = true;
        Log.Exclusive(_logger, _http.Hub, Current.Id, force ? " (forced)" : string.Empty);
    }

    /// <summary>
    /// <c>sslLogin</c> at <c>&lt;hub&gt;/ssllogin</c> with a preemptive Negotiate token; the reply's
    /// <c>WWW-Authenticate</c> token must verify (mutual authentication). Renewal sends the old session with
    /// <c>renew=True</c> and keeps the session id (koji-wire.md §4.2). Each attempt builds a fresh token.
    /// </summary>
    private async Task<SessionCredentials> SslLoginAsync(bool renew, CancellationToken cancellationToken)
    {
        object?[] args = renew
            ? [new KojiKeywordArguments(new Dictionary<string, object?> { ["renew"] = true, ["exclusive"] = IsExclusive })]
            : [];
        for (var attempt = 1; ; attempt++)
        {
            SpnegoClient spnego;
            string token;
            try
            {
                // Off the caller's thread: it may wait on the KDC. Start keeps its GSSAPI calls on one thread.
                (spnego, token) = await Task.Run(() => SpnegoClient.Start(_http.Options.Url, Identity, _credentials), cancellationToken).ConfigureAwait(false);
            }
            catch (KerberosException e)
            {
                throw new KerberosException(_http.Describe("sslLogin", e.Message), e);
            }

            using (spnego)
            {
                try
                {
                    var reply = await _http.CallAsync(
                        _http.Options.LoginUrl, "sslLogin", args, renew ? Current : null,
                        renew ? _steps.NextCallNumber() : null,
                        request => request.Headers.TryAddWithoutValidation("Authorization", "Negotiate " + token),
                        response =>
                        {
                            response.Headers.TryGetValues("WWW-Authenticate", out var values);
                            spnego.Complete(values?.FirstOrDefault(v => v.StartsWith("Negotiate", StringComparison.OrdinalIgnoreCase)));
                        },
                        cancellationToken).ConfigureAwait(false);
                    return ParseLogin(reply);
                }
                catch (KojiProtocolException e) when (e.HttpStatus == 401)
                {
                    throw new KerberosException(
                        _http.Describe("sslLogin", $"the hub refused the Kerberos login as {Identity} (HTTP 401): its web server did not accept our ticket for {SpnegoClient.ServicePrincipalFor(_http.Options.Url)}"),
                        e);
                }
                catch (KojiTransportException e) when (attempt < _policy.MaxAttempts)
                {
                    var delay = _policy.Delay(attempt, RetryDecision.Resend);
                    Log.Retrying(_logger, _http.Hub, "sslLogin", attempt, (long)delay.TotalMilliseconds, e.Message);
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (KerberosException e)
                {
                    throw new KerberosException(_http.Describe("sslLogin", e.Message), e);
                }
            }
        }
    }

    private SessionCredentials ParseLogin(object? reply)
    {
        const string What = "sslLogin";
        var s = Values.Struct(reply, What);
        var id = Values.Long(Values.Required(s, "session-id", What), What + " session-id");
        var key = Values.String(Values.Required(s, "session-key", What), What + " session-key");
        var headerAuth = Values.Member(s, "header-auth") is { } h && Values.Bool(h, What + " header-auth");
        return new SessionCredentials(id, key, headerAuth);
    }

    /// <summary>
    /// subsession(): a second session of the same login, with its own call numbers and the master's exclusivity
    /// (koji-wire.md §4.2), so that, for example, the heartbeat never waits behind a long upload on the master.
    /// It ends with its master; it is not renewed or re-established by itself.
    /// </summary>
    public async Task<KojiSession> OpenSubsessionAsync(CancellationToken cancellationToken = default)
    {
        var reply = await CallAsync(KojiCall.Write("subsession"), cancellationToken).ConfigureAwait(false);
        var child = new KojiSession(_http.Options, Identity, _options with { Exclusive = false }, _logger)
        {
            IsSubsession = true,
        };
        child._session = ParseLogin(reply);
        child.IsExclusive = IsExclusive;
        return child;
    }

    private async Task<bool> HandleSessionDecisionAsync(RetryDecision decision, KojiException error, CancellationToken cancellationToken)
    {
        if (IsSubsession && decision is RetryDecision.RenewSession or RetryDecision.LogInAgain)
        {
            return false; // its master owns the login
        }

        switch (decision)
        {
            case RetryDecision.RenewSession:
                try
                {
                    _session = await SslLoginAsync(renew: true, cancellationToken).ConfigureAwait(false);
                    Log.Renewed(_logger, _http.Hub, _session.Id);
                    return true;
                }
                catch (KojiAuthErrorFault fault) when (KojiRetryPolicy.IsInvalidSession(fault))
                {
                    // The session is gone (or an earlier renewal's reply was lost and its new key with it).
                    return await HandleSessionDecisionAsync(RetryDecision.LogInAgain, fault, cancellationToken).ConfigureAwait(false);
                }

            case RetryDecision.LogInAgain:
                var old = Current.Id;
                var wasExclusive = IsExclusive;
                IsExclusive = false;
                _session = await SslLoginAsync(renew: false, cancellationToken).ConfigureAwait(false);
                Interlocked.Exchange(ref _nextCallNumber, 0);
                if (wasExclusive || _options.Exclusive)
                {
                    // Never forced here: a session that vanished was most likely taken over by another instance
                    // of this host (exclusiveSession(force=True) closes the old one), and forcing it back would
                    // make two instances evict each other forever (koji-wire.md §9.2). That case fails with 1006.
                    await MakeExclusiveAsync(force: false, cancellationToken).ConfigureAwait(false);
                }

                Log.LoggedInAgain(_logger, _http.Hub, old, _session.Id);
                return true;
            case RetryDecision.SkipCallNumber when error is KojiFaultException fault && KojiRetryPolicy.StoredCallNumber(fault) is { } stored:
                var sent = NextCallNumber - 1;
                Log.SkippingCallNumber(_logger, _http.Hub, "call", sent, stored);
                InterlockedMax(ref _nextCallNumber, stored + 1);
                return true;
            default:
                return false;
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while ((current = Interlocked.Read(ref target)) < value &&
               Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
