using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KojiComposer.Config.Cli;
using KojiComposer.HubBridge.Authentication;

namespace KojiComposer.Cli.Service;

/// <summary>
/// The KojiComposer service's HTTP API (<c>/api/image-builder-composer/v2/</c>, README "Web front"), as the CLI
/// uses it. Logs in as the profile says (<see cref="CliServiceAuth"/>); a request that never reached the service
/// is tried again (<see cref="CliProfile.MaxRetries"/>); errors become one <see cref="ServiceException"/> naming
/// the service, the request and the API's reason and code.
/// </summary>
public sealed class ServiceClient : IDisposable
{
    /// <summary>The API's base path.</summary>
    public const string BasePath = "/api/image-builder-composer/v2";

    private readonly HttpClient _http;
    private readonly CliProfile _profile;
    private readonly KerberosIdentity _identity;
    private readonly Func<string, string?> _environment;
    private bool _negotiate;

    public ServiceClient(Uri baseUrl, CliProfile profile, KerberosIdentity identity, Func<string, string?> environment, HttpMessageHandler? handler = null)
    {
        BaseUrl = baseUrl;
        _profile = profile;
        _identity = identity;
        _environment = environment;
        _negotiate = profile.ServiceAuth == CliServiceAuth.Negotiate;
        _http = new HttpClient(handler ?? CreateHandler(profile), disposeHandler: true) { Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The service's base URL.</summary>
    public Uri BaseUrl { get; }

    /// <summary><c>GET /composes/{id}</c>: composer's ComposeStatus plus our <c>kojicomposer</c> fields.</summary>
    public Task<JsonObject> GetComposeAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"{BasePath}/composes/{id}", cancellationToken);

    /// <summary><c>GET /composes/{id}/logs</c>.</summary>
    public Task<JsonObject> GetLogsAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"{BasePath}/composes/{id}/logs", cancellationToken);

    /// <summary><c>GET /composes/{id}/manifests</c>.</summary>
    public Task<JsonObject> GetManifestsAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"{BasePath}/composes/{id}/manifests", cancellationToken);

    /// <summary><c>GET /composes/</c> with filters (<c>state</c>, <c>nvr</c>, <c>task_id</c>, <c>age</c>,
    /// <c>created_after</c>, <c>limit</c>, <c>offset</c>); null values are left out.</summary>
    public Task<JsonObject> ListComposesAsync(IReadOnlyDictionary<string, string?> filters, CancellationToken cancellationToken)
    {
        var query = string.Join("&", filters.Where(f => f.Value is not null).Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value!)}"));
        return SendAsync(HttpMethod.Get, $"{BasePath}/composes/" + (query.Length > 0 ? "?" + query : ""), cancellationToken);
    }

    /// <summary>The newest compose serving Koji task <paramref name="taskId"/>, or null.</summary>
    public async Task<JsonObject?> FindComposeForTaskAsync(long taskId, CancellationToken cancellationToken)
    {
        var list = await ListComposesAsync(new Dictionary<string, string?> { ["task_id"] = taskId.ToString(CultureInfo.InvariantCulture), ["limit"] = "1" }, cancellationToken).ConfigureAwait(false);
        return list["items"] is JsonArray { Count: > 0 } items ? items[0] as JsonObject : null;
    }

    /// <summary><c>POST /composes/{id}/cancel</c>.</summary>
    public Task<JsonObject> CancelAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"{BasePath}/composes/{id}/cancel", cancellationToken);

    /// <summary><c>POST /composes/{id}/retry-failed</c>.</summary>
    public Task<JsonObject> RetryFailedAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"{BasePath}/composes/{id}/retry-failed", cancellationToken);

    /// <summary><c>GET /health</c> (answers 503 with a body when failing: the body is returned either way).</summary>
    public Task<JsonObject> GetHealthAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "/health", cancellationToken, acceptStatus: HttpStatusCode.ServiceUnavailable);

    /// <summary>Sends one request and returns the JSON object it answered with.</summary>
    /// <exception cref="ServiceException">Not reachable, refused, or an API error.</exception>
    public async Task<JsonObject> SendAsync(HttpMethod method, string pathAndQuery, CancellationToken cancellationToken, HttpStatusCode? acceptStatus = null)
    {
        var url = new Uri(BaseUrl, pathAndQuery);
        var what = $"KojiComposer service {BaseUrl.GetLeftPart(UriPartial.Authority)}: {method} {url.AbsolutePath}";
        var delay = _profile.RetryInterval;
        for (var attempt = 1; ; attempt++)
        {
            HttpNegotiation? negotiation = null;
            try
            {
                using var request = new HttpRequestMessage(method, url);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                if (method == HttpMethod.Post)
                {
                    request.Content = new StringContent("", Encoding.UTF8, "application/json");
                }

                negotiation = Authorize(request);
                using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.Unauthorized && negotiation is null && _profile.ServiceAuth == CliServiceAuth.Auto
                    && response.Headers.WwwAuthenticate.Any(h => string.Equals(h.Scheme, "Negotiate", StringComparison.OrdinalIgnoreCase)))
                {
                    // The service wants Kerberos: from now on every request carries it.
                    _negotiate = true;
                    attempt--;
                    continue;
                }

                if (negotiation is not null && response.IsSuccessStatusCode)
                {
                    negotiation.Complete(response.Headers.WwwAuthenticate.FirstOrDefault(h => string.Equals(h.Scheme, "Negotiate", StringComparison.OrdinalIgnoreCase))?.ToString());
                }

                if (!response.IsSuccessStatusCode && response.StatusCode != acceptStatus)
                {
                    throw Refused(what, response, body);
                }

                try
                {
                    return JsonNode.Parse(body) as JsonObject ?? throw new JsonException("not a JSON object");
                }
                catch (JsonException e)
                {
                    throw new ServiceException($"{what}: the answer is not the API's JSON ({e.Message}); is {BaseUrl} a KojiComposer service?", unreachable: false, (int)response.StatusCode);
                }
            }
            catch (HttpRequestException e) when (attempt < _profile.MaxRetries && e.StatusCode is null)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
            catch (HttpRequestException e)
            {
                throw new ServiceException($"{what}: cannot reach the service: {Describe(e)}", unreachable: true, inner: e);
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ServiceException($"{what}: no answer within {_http.Timeout.TotalSeconds:0} s", unreachable: true, inner: e);
            }
            finally
            {
                negotiation?.Dispose();
            }
        }
    }

    private HttpNegotiation? Authorize(HttpRequestMessage request)
    {
        if (_profile.ServiceAuth == CliServiceAuth.Basic)
        {
            var password = _environment("KOJICOMPOSER_PASSWORD") ?? ReadPasswordFile()
                ?? throw new ServiceException($"KojiComposer service {BaseUrl}: service_auth is basic but there is no password: set KOJICOMPOSER_PASSWORD or service_password_file in profile [{_profile.Name}]", unreachable: false);
            var pair = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_profile.ServiceUser}:{password}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", pair);
            return null;
        }

        if (!_negotiate)
        {
            return null;
        }

        var negotiation = HttpNegotiation.Start(BaseUrl, _identity);
        request.Headers.Authorization = new AuthenticationHeaderValue("Negotiate", negotiation.Token);
        return negotiation;
    }

    private string? ReadPasswordFile()
    {
        if (_profile.ServicePasswordFile is not { } path)
        {
            return null;
        }

        using var reader = new StreamReader(path);
        return reader.ReadLine();
    }

    private ServiceException Refused(string what, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        JsonObject? error = null;
        try
        {
            error = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
        }

        if (error is not null && error["kind"]?.GetValue<string>() == "Error")
        {
            var reason = error["reason"]?.GetValue<string>() ?? "(no reason)";
            var details = error["details"] is JsonValue d && d.TryGetValue<string>(out var text) && text.Length > 0 ? $": {text}" : "";
            var code = error["code"]?.GetValue<string>();
            int? id = int.TryParse(error["id"]?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
            var hint = status == 401 ? " (log in: set service_auth in the profile, or kinit for Negotiate)" : status == 403 ? " (this needs the operator role on the service)" : "";
            return new ServiceException($"{what}: {reason}{details} ({code}, HTTP {status}){hint}", unreachable: false, status, id);
        }

        var snippet = body.Length > 200 ? body[..200] + "…" : body;
        return new ServiceException($"{what}: HTTP {status} {response.ReasonPhrase}{(snippet.Length > 0 ? ": " + snippet.ReplaceLineEndings(" ") : "")}", unreachable: false, status);
    }

    private static string Describe(HttpRequestException e) =>
        e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;

    private static SocketsHttpHandler CreateHandler(CliProfile profile)
    {
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(15) };
        if (profile.ServiceCaBundle is { } bundle)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(bundle);
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, CustomTrustStore = { } },
            };
            handler.SslOptions.CertificateChainPolicy.CustomTrustStore.AddRange(roots);
        }

        return handler;
    }

    public void Dispose() => _http.Dispose();
}
