using KojiComposer.HubBridge.Authentication;
using KojiComposer.HubBridge.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KojiComposer.HubBridge.Sessions;

/// <summary>
/// A logged-in hub session (koji-wire.md §3-§4). Calls on one session are serialized: the hub numbers them
/// (<c>Koji-Session-Callnum</c>, strictly increasing from 0, uploads included) and a call that overtakes another
/// fails with SequenceError. Concurrent work uses several sessions. Expired sessions are renewed and lost ones
/// re-established transparently, exclusivity included.
/// </summary>
public sealed partial class KojiSession : KojiCaller, IAsyncDisposable
{
    private readonly KojiHttp _http;
    private readonly KojiRetryPolicy _policy;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly KerberosCredentials _credentials;
    private readonly KojiSessionOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SessionSteps _steps;
    private SessionCredentials? _session;
    private long _nextCallNumber;
    private bool _loggedOut;

    private KojiSession(KojiHubOptions hub, KerberosIdentity identity, KojiSessionOptions options, ILogger logger)
    {
        _http = new KojiHttp(hub, options.Handler);
        _policy = new KojiRetryPolicy(hub.Retry);
        _logger = logger;
        _time = options.Time ?? TimeProvider.System;
        _credentials = options.Credentials ?? KerberosCredentials.Shared;
        _options = options;
        _steps = new SessionSteps(this);
        Identity = identity;
    }

    /// <summary>True for a session made by <see cref="OpenSubsessionAsync"/>.</summary>
    public bool IsSubsession { get; private init; }

    /// <summary>Logs in with Kerberos and, when asked, makes the session exclusive.</summary>
    /// <exception cref="KerberosException">No ticket, or the hub's mutual authentication failed.</exception>
    /// <exception cref="KojiException">The hub refused the login or could not be reached.</exception>
    public static async Task<KojiSession> LoginAsync(
        KojiHubOptions hub, KerberosIdentity identity, KojiSessionOptions? options = null, ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        var session = new KojiSession(hub, identity, options ?? new KojiSessionOptions(), logger ?? NullLogger.Instance);
        try
        {
            await session.EstablishAsync(cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            if (session._session is not null)
            {
                // Logged in but not finished (exclusiveSession failed or was cut off by a shutdown): close the
                // session on the hub, or it would keep the host's exclusivity and lock out every later login.
                await session.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                session._http.Dispose();
            }

            throw;
        }
    }

    public override Uri HubUrl => _http.Options.Url;

    protected override bool HasSession => true;

    /// <summary>The service principal the hub proved it holds at login: <c>HTTP/&lt;hub host&gt;</c>.</summary>
    public string HubServicePrincipal => Authentication.SpnegoClient.ServicePrincipalFor(HubUrl);

    /// <summary>Who we logged in as.</summary>
    public KerberosIdentity Identity { get; }

    /// <summary>The hub's session id (not secret; the key is).</summary>
    public long SessionId => Current.Id;

    /// <summary>True when the session travels in <c>Koji-Session-*</c> headers rather than the URL query.</summary>
    public bool UsesHeaders => _http.Options.SessionTransport switch
    {
        SessionTransport.Header => true,
        SessionTransport.Query => false,
        _ => Current.HeaderAuth,
    };

    /// <summary>Whether the hub's login reply offered header sessions (<c>header-auth</c>).</summary>
    public bool HubOffersHeaderAuth => Current.HeaderAuth;

    /// <summary>True once <c>exclusiveSession</c> succeeded.</summary>
    public bool IsExclusive { get; private set; }

    /// <summary>The <c>Koji-Version</c> header of the latest reply.</summary>
    public string? HubVersion => _http.HubVersion;

    /// <summary>For benchmarks that must send a raw request in this session: id and key. Never log these.</summary>
    internal (long Id, string Key) SessionSecretsForBenchmarks => (Current.Id, Current.Key);

    /// <summary>The call number the next request will carry.</summary>
    internal long NextCallNumber => Interlocked.Read(ref _nextCallNumber);

    private SessionCredentials Current => _session ?? throw new InvalidOperationException("the session is not logged in");

    public override async Task<object?> CallAsync(KojiCall call, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_loggedOut, this);
        try
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await RetryLoop.RunAsync(_policy, _logger, _time, _http.Hub, call, _steps,
                    (n, ct) => SendAsync(call, n, ct),
                    cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }
        catch (RetryLoop.OutcomeUnknownSignal signal)
        {
            // Outside the gate: the check makes calls on this session itself.
            if (call.IfAlreadyCommitted is null)
            {
                throw signal.Error;
            }

            Log.CheckingCommittedWrite(_logger, _http.Hub, call.Method);
            return await call.IfAlreadyCommitted(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One attempt of a call in this session; the retry loop decides about the next.</summary>
    private Task<object?> SendAsync(KojiCall call, long? callNumber, CancellationToken cancellationToken) =>
        _http.CallAsync(_http.Options.Url, call.Method, call.Args, Current, callNumber, null, null, cancellationToken, call.Timeout);

    /// <summary>Closes the session on the hub (and its subsessions). Later calls fail.</summary>
    public async Task LogoutAsync(CancellationToken cancellationToken = default)
    {
        if (_loggedOut || _session is null)
        {
            return;
        }

        // One plain attempt, outside the retry policy: a session that is gone (1002) or expired (1007) is as good
        // as logged out, and logging in again just to log out could even take exclusivity from a newer instance.
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _http.CallAsync(_http.Options.Url, "logout", [], _session, _steps.NextCallNumber(), null, null, cancellationToken).ConfigureAwait(false);
            Log.LoggedOut(_logger, _http.Hub, _session.Id);
        }
        catch (KojiException e)
        {
            Log.LogoutFailed(_logger, _http.Hub, _session.Id, e.Message);
        }
        finally
        {
            _loggedOut = true;
            _gate.Release();
        }
    }

    /// <summary>Logs out (best effort, bounded to 10 s) and releases the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await LogoutAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Log.LogoutFailed(_logger, _http.Hub, _session?.Id ?? 0, "no reply within 10 s");
        }
        finally
        {
            _http.Dispose();
            _gate.Dispose();
        }
    }

    private sealed class SessionSteps(KojiSession session) : RetryLoop.ISessionSteps
    {
        public long? NextCallNumber() => Interlocked.Increment(ref session._nextCallNumber) - 1;

        public Task<bool> HandleAsync(RetryDecision decision, KojiException error, CancellationToken cancellationToken) =>
            session.HandleSessionDecisionAsync(decision, error, cancellationToken);
    }
}
