using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using KojiComposer.Config.Cli;
using KojiComposer.HubBridge.Authentication;

namespace KojiComposer.Cli.Service;

/// <summary>
/// The KojiComposer service's HTTP API (<c>/api/image-builder-composer/v2/</c>, README "Web front"), as the CLI
/// uses it. Logs in as the profile says (<see cref="CliServiceAuth"/>, <see cref="ServiceClient"/>.Auth.cs); a
/// request that never reached the service is tried again (<see cref="CliProfile.MaxRetries"/>, .Send.cs); errors
/// become one <see cref="ServiceException"/> naming the service, the request and the API's reason and code
/// (.Errors.cs).
/// </summary>
public sealed partial class ServiceClient : IDisposable
{
    /// <summary>The API's base path.</summary>
    public const string BasePath = "/api/image-builder-composer/v2";

    private readonly HttpClient _http;
    private readonly CliProfile _profile;
    private readonly KerberosIdentity _identity;
    private readonly Func<string, string?> _environment;

    /// <summary>Creates a client for the service at <paramref name="baseUrl"/>.</summary>
    /// <param name="baseUrl">The service's base URL (the API lives under it, a path prefix of a reverse proxy
    /// included).</param>
    /// <param name="profile">How to log in, retry and trust TLS.</param>
    /// <param name="identity">Who we are in Kerberos, for Negotiate.</param>
    /// <param name="environment">Reads environment variables (<c>KOJICOMPOSER_PASSWORD</c>).</param>
    /// <param name="handler">The HTTP handler (tests); default: sockets, with <c>service_ca_bundle</c>.</param>
    /// <param name="timeout">How long one request may wait for its answer; default 60 s.</param>
    /// <exception cref="Config.ConfigurationException"><c>service_ca_bundle</c> holds no PEM certificate.</exception>
    public ServiceClient(Uri baseUrl, CliProfile profile, KerberosIdentity identity, Func<string, string?> environment, HttpMessageHandler? handler = null, TimeSpan? timeout = null)
    {
        BaseUrl = baseUrl;
        _profile = profile;
        _identity = identity;
        _environment = environment;
        _negotiate = profile.ServiceAuth == CliServiceAuth.Negotiate;
        _http = new HttpClient(handler ?? CreateHandler(profile), disposeHandler: true) { Timeout = timeout ?? TimeSpan.FromSeconds(60) };
    }

    /// <summary>The service's base URL.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The base URL as messages show it: never with a user name or password in it.</summary>
    public string DisplayUrl => new UriBuilder(BaseUrl) { UserName = "", Password = "" }.Uri.AbsoluteUri.TrimEnd('/');

    /// <summary><c>GET /composes/{id}</c>: composer's ComposeStatus plus our <c>kojicomposer</c> fields.</summary>
    public Task<JsonObject> GetComposeAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"{BasePath}/composes/{id:D}", cancellationToken);

    /// <summary><c>GET /composes/{id}/logs</c>.</summary>
    public Task<JsonObject> GetLogsAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"{BasePath}/composes/{id:D}/logs", cancellationToken);

    /// <summary><c>GET /composes/{id}/manifests</c>.</summary>
    public Task<JsonObject> GetManifestsAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"{BasePath}/composes/{id:D}/manifests", cancellationToken);

    /// <summary><c>GET /composes/</c> with filters (<c>state</c>, <c>nvr</c>, <c>task_id</c>, <c>age</c>,
    /// <c>created_after</c>, <c>limit</c>, <c>offset</c>); null values are left out.</summary>
    public Task<JsonObject> ListComposesAsync(IReadOnlyDictionary<string, string?> filters, CancellationToken cancellationToken)
    {
        var query = string.Join("&", filters.Where(f => f.Value is not null).Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value!)}"));
        return SendAsync(HttpMethod.Get, $"{BasePath}/composes/" + (query.Length > 0 ? "?" + query : ""), cancellationToken);
    }

    /// <summary>The newest compose serving Koji task <paramref name="taskId"/> (its ComposeStatus), or null.</summary>
    public async Task<JsonObject?> FindComposeForTaskAsync(long taskId, CancellationToken cancellationToken)
    {
        var list = await ListComposesAsync(new Dictionary<string, string?> { ["task_id"] = taskId.ToString(CultureInfo.InvariantCulture), ["limit"] = "1" }, cancellationToken).ConfigureAwait(false);
        return list["items"] is JsonArray { Count: > 0 } items ? items[0] as JsonObject : null;
    }

    /// <summary><c>POST /composes/{id}/cancel</c>: 202 <c>{"kind": "ComposeCancel", "outcome": "requested"}</c>;
    /// 409 error 2001 when the compose already finished.</summary>
    public Task<JsonObject> CancelAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"{BasePath}/composes/{id:D}/cancel", cancellationToken);

    /// <summary><c>POST /composes/{id}/retry-failed</c>: 202 <c>{"kind": "ComposeRetry", "images_reset": n}</c>;
    /// 409 error 2002 when there is nothing to retry (or the compose serves a Koji task).</summary>
    public Task<JsonObject> RetryFailedAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"{BasePath}/composes/{id:D}/retry-failed", cancellationToken);

    /// <summary><c>GET /health</c> (answers 503 with a body when failing: the body is returned either way).</summary>
    public Task<JsonObject> GetHealthAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "/health", cancellationToken, acceptStatus: HttpStatusCode.ServiceUnavailable);

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();
}
