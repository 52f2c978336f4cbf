using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.HubBridge.Transport;

/// <summary>
/// One HTTP exchange with the hub: build the POST (XML-RPC or raw upload), put the session where the hub looks for
/// it, send, and turn the reply into a value or one of our exceptions. No retries here: those are
/// <see cref="KojiRetryPolicy"/>'s, one level up.
/// </summary>
internal sealed class KojiHttp : IDisposable
{
    private static readonly MediaTypeHeaderValue XmlContentType = new("text/xml") { CharSet = "utf-8" };
    private static readonly MediaTypeHeaderValue OctetStream = new("application/octet-stream");
    private readonly HttpClient _client;
    private readonly bool _ownsClient;

    public KojiHttp(KojiHubOptions options, HttpMessageHandler? handler = null)
    {
        Options = options;
        _ownsClient = true;
        _client = new HttpClient(handler ?? CreateHandler(options))
        {
            // Our own per-request timeout applies; HttpClient's must not cut long uploads short.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("kojicomposer", ThisAssembly.Version));
    }

    public KojiHubOptions Options { get; }

    private static SocketsHttpHandler CreateHandler(KojiHubOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(30),
            AutomaticDecompression = DecompressionMethods.All,

            // A redirect would carry the Koji-Session-* headers (and the Negotiate token) to wherever it points, and
            // would turn the POST into a GET: refuse it and name the target instead (see SendAsync).
            AllowAutoRedirect = false,
        };
        if (options.CaBundle is { } bundle)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = HubCertificate.TrustingBundle(bundle);
        }

        return handler;
    }

    public string Hub => Options.Url.AbsoluteUri;

    /// <summary>The <c>Koji-Version</c> header of the latest successful reply, when the hub sends one.</summary>
    public string? HubVersion { get; private set; }

    /// <summary>Sends one XML-RPC call and returns the decoded result (faults are thrown, typed).</summary>
    public async Task<object?> CallAsync(
        Uri url, string method, IReadOnlyList<object?> args, SessionCredentials? session, long? callNumber,
        Action<HttpRequestMessage>? decorate, Action<HttpResponseMessage>? inspect, CancellationToken cancellationToken,
        TimeSpan? timeout = null)
    {
        var body = new MemoryStream();
        XmlRpcWriter.WriteMethodCall(body, method, args);
        using var request = new HttpRequestMessage(HttpMethod.Post, WithSession(url, session, callNumber, null));
        request.Content = new ByteArrayContent(body.GetBuffer(), 0, (int)body.Length);
        request.Content.Headers.ContentType = XmlContentType;
        AddSessionHeaders(request, session, callNumber);
        decorate?.Invoke(request);
        return await SendAsync(request, method, inspect, cancellationToken, timeout).ConfigureAwait(false);
    }

    /// <summary>Sends one rawUpload chunk (koji-wire.md §8.1) and returns the hub's reply struct.</summary>
    public async Task<object?> UploadAsync(
        string query, ReadOnlyMemory<byte> chunk, SessionCredentials session, long callNumber, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, WithSession(Options.Url, session, callNumber, query));
        request.Content = new ReadOnlyMemoryContent(chunk);
        request.Content.Headers.ContentType = OctetStream;
        AddSessionHeaders(request, session, callNumber);
        return await SendAsync(request, "rawUpload", null, cancellationToken, null).ConfigureAwait(false);
    }

    private bool UseHeaders(SessionCredentials session) => Options.SessionTransport switch
    {
        SessionTransport.Header => true,
        SessionTransport.Query => false,
        _ => session.HeaderAuth,
    };

    private void AddSessionHeaders(HttpRequestMessage request, SessionCredentials? session, long? callNumber)
    {
        if (session is null || !UseHeaders(session))
        {
            return;
        }

        request.Headers.Add("Koji-Session-Id", session.Id.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("Koji-Session-Key", session.Key);
        if (callNumber is { } n)
        {
            request.Headers.Add("Koji-Session-Callnum", n.ToString(CultureInfo.InvariantCulture));
        }
    }

    private Uri WithSession(Uri url, SessionCredentials? session, long? callNumber, string? query)
    {
        var parts = new List<string>(4);
        if (session is not null && !UseHeaders(session))
        {
            parts.Add("session-id=" + session.Id.ToString(CultureInfo.InvariantCulture));
            parts.Add("session-key=" + Uri.EscapeDataString(session.Key));
            if (callNumber is { } n)
            {
                parts.Add("callnum=" + n.ToString(CultureInfo.InvariantCulture));
            }
        }

        if (!string.IsNullOrEmpty(query))
        {
            parts.Add(query);
        }

        return parts.Count == 0 ? url : new UriBuilder(url) { Query = string.Join('&', parts) }.Uri;
    }

    private async Task<object?> SendAsync(
        HttpRequestMessage request, string method, Action<HttpResponseMessage>? inspect, CancellationToken cancellationToken, TimeSpan? limit)
    {
        var requestTimeout = limit ?? Options.RequestTimeout;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(requestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KojiTransportException(Describe(method, $"no reply within {requestTimeout.TotalSeconds:0} s"), null, e);
        }
        catch (HttpRequestException e) when (e.InnerException is System.Security.Authentication.AuthenticationException)
        {
            // Not transient: an untrusted or wrong certificate stays so until someone fixes the trust or the URL.
            throw new KojiProtocolException(Describe(method, $"TLS: the hub's certificate was not accepted ({Cause(e)}); {HubCertificate.Hint(Options)}"), null, e);
        }
        catch (HttpRequestException e)
        {
            throw new KojiTransportException(Describe(method, Cause(e)), null, e);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (status != 200)
            {
                var text = await ReadSnippetAsync(response, timeout.Token).ConfigureAwait(false);
                var what = status is >= 300 and < 400 && response.Headers.Location is { } location
                    ? $"HTTP {status} {response.ReasonPhrase}: the hub redirects to {new Uri(Options.Url, location).GetLeftPart(UriPartial.Path)}; configure that URL (redirects are not followed: they would carry the session)"
                    : $"HTTP {status} {response.ReasonPhrase}{(text.Length > 0 ? ": " + text : string.Empty)}";
                if (status >= 500 || status is 408 or 429)
                {
                    throw new KojiTransportException(Describe(method, what), status);
                }

                throw new KojiProtocolException(Describe(method, what), status);
            }

            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (mediaType is not null && !mediaType.Contains("xml", StringComparison.OrdinalIgnoreCase))
            {
                var text = await ReadSnippetAsync(response, timeout.Token).ConfigureAwait(false);
                throw new KojiProtocolException(
                    Describe(method, $"reply is {mediaType}, not XML-RPC (is {Hub} the hub's XML-RPC URL, usually ending in /kojihub?): {text}"), status);
            }

            if (response.Headers.TryGetValues("Koji-Version", out var versions))
            {
                HubVersion = versions.FirstOrDefault();
            }

            inspect?.Invoke(response);

            try
            {
                var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    var reader = new XmlRpcReaderOptions { MaxDocumentBytes = (int)Math.Min(int.MaxValue, Options.MaxResponseBytes) };
                    return await XmlRpcReader.ReadMethodResponseAsync(stream, reader, timeout.Token).ConfigureAwait(false);
                }
            }
            catch (KojiFaultException fault)
            {
                throw fault.WithContext(Hub, method);
            }
            catch (XmlRpcFormatException e) when (method is "sslLogin" or "subsession" or "CGInitBuild")
            {
                // The format error quotes the bad bytes, and these replies carry a session key or a CG token.
                throw new KojiProtocolException(
                    Describe(method, $"the reply is not valid XML-RPC (at byte {e.ByteOffset}; its text is not shown because it may hold a secret)"), status);
            }
            catch (XmlRpcFormatException e)
            {
                throw new KojiProtocolException(Describe(method, e.Message), status, e);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new KojiTransportException(Describe(method, $"reply not complete within {requestTimeout.TotalSeconds:0} s"), status, e);
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                throw new KojiTransportException(Describe(method, "connection dropped while reading the reply: " + Cause(e)), status, e);
            }
        }
    }

    /// <summary>One-line error text naming the hub, the call and the cause.</summary>
    public string Describe(string method, string cause) => $"koji hub {Hub}: {method}: {cause}";

    private static string Cause(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return ReferenceEquals(inner, e) ? e.Message : $"{e.Message} ({inner.Message})";
    }

    private static async Task<string> ReadSnippetAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var buffer = new byte[300];
                var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                var text = Encoding.UTF8.GetString(buffer, 0, read);
                var flat = string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
                return flat.Length > 200 ? flat[..200] + "…" : flat;
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
        {
            return string.Empty;
        }
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }
}
