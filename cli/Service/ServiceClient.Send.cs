using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KojiComposer.Config;
using KojiComposer.Config.Cli;

namespace KojiComposer.Cli.Service;

public sealed partial class ServiceClient
{
    /// <summary>Sends one request and returns the JSON object it answered with.</summary>
    /// <remarks>
    /// Retries, with the profile's doubling delay up to <see cref="CliProfile.MaxRetries"/> attempts, only what is
    /// safe to send again: any request that never reached the service (no connection, no name), and a GET whose
    /// answer was lost on the way. A POST whose connection broke after it was sent is not sent again: cancel or
    /// retry-failed may have been carried out, and the caller says so. TLS failures and timeouts are not retried
    /// (they do not get better within seconds).
    /// </remarks>
    /// <exception cref="ServiceException">Not reachable, refused, or an API error.</exception>
    /// <exception cref="HubBridge.Authentication.KerberosException">Negotiate was needed but no ticket could be
    /// had, or the service did not prove its identity.</exception>
    /// <exception cref="ConfigurationException">Basic login without a readable password.</exception>
    public async Task<JsonObject> SendAsync(HttpMethod method, string pathAndQuery, CancellationToken cancellationToken, HttpStatusCode? acceptStatus = null)
    {
        var url = new Uri(BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + pathAndQuery);
        var what = $"KojiComposer service {DisplayUrl}: {method} {url.AbsolutePath}";
        var delay = _profile.RetryInterval;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var (response, body) = await SendAuthenticatedAsync(method, url, what, cancellationToken).ConfigureAwait(false);
                using (response)
                {
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
                        throw new ServiceException($"{what}: the answer is not the API's JSON ({e.Message}); is {DisplayUrl} a KojiComposer service?", unreachable: false, (int)response.StatusCode);
                    }
                }
            }
            catch (HttpRequestException e) when (attempt < _profile.MaxRetries && MaySendAgain(method, e))
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
            catch (HttpRequestException e)
            {
                throw Unreachable(what, method, e, attempt);
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ServiceException($"{what}: no answer within {_http.Timeout.TotalSeconds:0} s; is the service overloaded or stuck? (kojicomposerd's log says)", unreachable: true, inner: e);
            }
        }
    }

    /// <summary>True when a request that failed with <paramref name="e"/> may be sent again.</summary>
    internal static bool MaySendAgain(HttpMethod method, HttpRequestException e) =>
        NeverReached(e) || (method == HttpMethod.Get && e.HttpRequestError is HttpRequestError.ResponseEnded or HttpRequestError.Unknown);

    /// <summary>True when the request never left us: no connection could be made, the name did not resolve, or a
    /// proxy refused the tunnel. A TLS failure is excluded: it does not get better by trying again.</summary>
    internal static bool NeverReached(HttpRequestException e) =>
        e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.ProxyTunnelError;

    private static HttpRequestMessage NewRequest(HttpMethod method, Uri url)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (method == HttpMethod.Post)
        {
            request.Content = new StringContent("", Encoding.UTF8, "application/json");
        }

        return request;
    }

    private ServiceException Unreachable(string what, HttpMethod method, HttpRequestException e, int attempts)
    {
        var tries = attempts > 1 ? $" (tried {attempts} times)" : "";
        if (e.HttpRequestError == HttpRequestError.SecureConnectionError)
        {
            var hint = _profile.ServiceCaBundle is { } bundle
                ? $"is {bundle} (service_ca_bundle) the CA that signed the service's certificate, and is the certificate for {BaseUrl.Host}?"
                : $"if a private CA signed the service's certificate, set service_ca_bundle in profile [{_profile.Name}]";
            return new ServiceException($"{what}: TLS with the service failed: {Describe(e)}; {hint}", unreachable: true, inner: e);
        }

        if (!NeverReached(e) && method != HttpMethod.Get)
        {
            return new ServiceException(
                $"{what}: the connection broke before the service answered ({Describe(e)}); the request may have been carried out: look with kojicomposer compose show before trying again",
                unreachable: true,
                inner: e);
        }

        return new ServiceException(
            $"{what}: cannot reach the service{tries}: {Describe(e)}; is kojicomposerd running there? Otherwise fix service in profile [{_profile.Name}] or pass --server URL",
            unreachable: true,
            inner: e);
    }

    /// <summary>The most telling message of <paramref name="e"/> and its causes ("Connection refused
    /// (127.0.0.1:9)", "The remote certificate is invalid … UntrustedRoot"), without .NET's "see inner exception".</summary>
    internal static string Describe(Exception e)
    {
        var parts = new List<string>();
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            var text = x.Message.Trim().TrimEnd('.');
            if (text.Length == 0 || text.Contains("inner exception", StringComparison.OrdinalIgnoreCase) || parts.Any(p => p.Contains(text, StringComparison.Ordinal)))
            {
                continue;
            }

            parts.Add(text);
        }

        return parts.Count == 0 ? e.GetType().Name : string.Join(": ", parts);
    }

    private static SocketsHttpHandler CreateHandler(CliProfile profile)
    {
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(15) };
        if (profile.ServiceCaBundle is { } bundle)
        {
            var roots = new X509Certificate2Collection();
            try
            {
                roots.ImportFromPemFile(bundle);
            }
            catch (CryptographicException e)
            {
                throw BundleProblem(profile, $"{bundle} is not a PEM file of CA certificates ({e.Message})");
            }

            if (roots.Count == 0)
            {
                throw BundleProblem(profile, $"{bundle} holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            }

            // Only the bundle's CAs, like koji's serverca and requests' verify=<file>; no revocation check, as they
            // do none either (a private CA rarely publishes CRLs).
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(roots);
            handler.SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy };
        }

        return handler;
    }

    private static ConfigurationException BundleProblem(CliProfile profile, string problem) =>
        new([new ConfigurationError(profile.Sources.Count > 0 ? profile.Sources[^1] : "cli.toml", null, $"{profile.Name}.service_ca_bundle", problem)]);
}
