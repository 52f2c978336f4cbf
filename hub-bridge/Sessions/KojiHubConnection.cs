using KojiComposer.HubBridge.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KojiComposer.HubBridge.Sessions;

/// <summary>
/// Anonymous access to a hub: the read calls koji allows without a session (koji-wire.md §6), e.g. the target
/// checks the CLI makes before logging in. Thread-safe; calls run concurrently.
/// </summary>
public sealed class KojiHubConnection : KojiCaller, IDisposable
{
    private readonly KojiHttp _http;
    private readonly KojiRetryPolicy _policy;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public KojiHubConnection(KojiHubOptions options, ILogger? logger = null, HttpMessageHandler? handler = null, TimeProvider? time = null)
    {
        _http = new KojiHttp(options, handler);
        _policy = new KojiRetryPolicy(options.Retry);
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
    }

    public override Uri HubUrl => _http.Options.Url;

    /// <summary>The <c>Koji-Version</c> header of the latest reply, when the hub sends one.</summary>
    public string? HubVersion => _http.HubVersion;

    public override async Task<object?> CallAsync(KojiCall call, CancellationToken cancellationToken = default)
    {
        try
        {
            return await RetryLoop.RunAsync(_policy, _logger, _time, _http.Hub, call, null,
                (_, ct) => _http.CallAsync(_http.Options.Url, call.Method, call.Args, null, null, null, null, ct, call.Timeout),
                cancellationToken).ConfigureAwait(false);
        }
        catch (RetryLoop.OutcomeUnknownSignal signal)
        {
            throw signal.Error;
        }
    }


    public void Dispose() => _http.Dispose();
}
