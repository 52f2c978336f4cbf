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
        if (_options.Exclusive)
        {
            await MakeExclusiveAsync(cancellationToken).ConfigureAwait(false);
        }

        if (Identity is { KeytabPath: null, Principal: { } expected })
        {
            // The ambient credential cache holds whoever ran kinit last: make sure that is who the config names.
            var user = await GetLoggedInUserAsync(cancellationToken).ConfigureAwait(false);
            if (user is null || !user.KrbPrincipals.Contains(expected, StringComparer.Ordinal) && !string.Equals(user.KrbPrincipal, expected, StringComparison.Ordinal))
            {
                await LogoutAsync(cancellationToken).ConfigureAwait(false);
                throw new KerberosException(_http.Describe("sslLogin",
                    $"the ambient credential cache logged us in as {user?.KrbPrincipal ?? user?.Name ?? "nobody"}, not {expected} (kinit as {expected}, or configure a keytab)"));
            }
        }
    }

    private async Task MakeExclusiveAsync(CancellationToken cancellationToken)
    {
        // exclusiveSession(force=True) travels as a keyword struct, as koji's client sends it (koji-wire.md §2.2).
        var call = _options.ForceExclusive
            ? KojiCall.Write("exclusiveSession", new KojiKeywordArguments(new Dictionary<string, object?> { ["force"] = true }))
            : KojiCall.Write("exclusiveSession");
        await RetryLoop.RunAsync(_policy, _logger, _time, _http.Hub, call, _steps,
            (n, ct) => _http.CallAsync(_http.Options.Url, call.Method, call.Args, Current, n, null, RememberVersion, ct),
            cancellationToken).ConfigureAwait(false);
        IsExclusive = true;
        Log.Exclusive(_logger, _http.Hub, Current.Id, _options.ForceExclusive ? " (forced)" : string.Empty);
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
                (spnego, token) = SpnegoClient.Start(_http.Options.Url, Identity, _credentials);
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
                            RememberVersion(response);
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

    private async Task<bool> HandleSessionDecisionAsync(RetryDecision decision, KojiException error, CancellationToken cancellationToken)
    {
        switch (decision)
        {
            case RetryDecision.RenewSession:
                _session = await SslLoginAsync(renew: true, cancellationToken).ConfigureAwait(false);
                Log.Renewed(_logger, _http.Hub, _session.Id);
                return true;
            case RetryDecision.LogInAgain:
                var old = Current.Id;
                var wasExclusive = IsExclusive;
                IsExclusive = false;
                _session = await SslLoginAsync(renew: false, cancellationToken).ConfigureAwait(false);
                Interlocked.Exchange(ref _nextCallNumber, 0);
                if (wasExclusive || _options.Exclusive)
                {
                    await MakeExclusiveAsync(cancellationToken).ConfigureAwait(false);
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
