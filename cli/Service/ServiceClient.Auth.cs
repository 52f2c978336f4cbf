using System.Net;
using System.Net.Http.Headers;
using System.Text;
using KojiComposer.Config;
using KojiComposer.Config.Cli;
using KojiComposer.HubBridge.Authentication;

namespace KojiComposer.Cli.Service;

public sealed partial class ServiceClient
{
    /// <summary>The environment variable holding the Basic password; it wins over <c>service_password_file</c>.</summary>
    public const string PasswordVariable = "KOJICOMPOSER_PASSWORD";

    // Negotiate on every request: from the start for service_auth = "negotiate", after the first challenge that
    // offers it for "auto". Each request makes a fresh AP-REQ: the service's replay cache refuses a repeated one.
    private bool _negotiate;
    private string? _password;

    /// <summary>Sends one request with the profile's credentials, following an <c>auto</c> profile's switch to
    /// Negotiate when the service challenges with it, and checks the service's mutual-authentication reply.</summary>
    private async Task<(HttpResponseMessage Response, string Body)> SendAuthenticatedAsync(HttpMethod method, Uri url, string what, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var request = NewRequest(method, url);
            using var negotiation = Authorize(request, what);
            var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            try
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.Unauthorized && negotiation is null && _profile.ServiceAuth == CliServiceAuth.Auto && Offers(response, "Negotiate"))
                {
                    // No credentials were sent and the service wants Kerberos: from now on every request carries it.
                    _negotiate = true;
                    response.Dispose();
                    continue;
                }

                if (negotiation is not null)
                {
                    VerifyService(negotiation, response, what);
                }

                return (response, body);
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }
    }

    private HttpNegotiation? Authorize(HttpRequestMessage request, string what)
    {
        if (_profile.ServiceAuth == CliServiceAuth.Basic)
        {
            var pair = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_profile.ServiceUser}:{_password ??= Password()}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", pair);
            return null;
        }

        if (!_negotiate)
        {
            return null;
        }

        try
        {
            var negotiation = HttpNegotiation.Start(BaseUrl, _identity);
            request.Headers.Authorization = new AuthenticationHeaderValue("Negotiate", negotiation.Token);
            return negotiation;
        }
        catch (KerberosException e)
        {
            var why = _profile.ServiceAuth == CliServiceAuth.Negotiate ? "service_auth is negotiate" : "the service asks for Kerberos (Negotiate)";
            throw new KerberosException($"{what}: {why}, but {e.Message}", e);
        }
    }

    /// <summary>Mutual authentication: an answer to a Negotiate request must carry the service's own token, and it
    /// must verify; otherwise something else answered in the service's name. Answers without a token are accepted
    /// only when they are errors (a 401 refusing our ticket carries none).</summary>
    private void VerifyService(HttpNegotiation negotiation, HttpResponseMessage response, string what)
    {
        var spn = "HTTP/" + BaseUrl.IdnHost;
        var reply = response.Headers.WwwAuthenticate.FirstOrDefault(h => IsScheme(h, "Negotiate") && !string.IsNullOrWhiteSpace(h.Parameter));
        if (reply is null)
        {
            if (response.IsSuccessStatusCode)
            {
                throw new KerberosException($"{what}: the service did not prove its identity as {spn}: its answer has no 'WWW-Authenticate: Negotiate <token>' (mutual authentication failed); is {DisplayUrl} really the KojiComposer service?");
            }

            return;
        }

        try
        {
            negotiation.Complete(reply.ToString());
        }
        catch (KerberosException e)
        {
            throw new KerberosException($"{what}: the service did not prove its identity as {spn}: its Negotiate token does not verify (mutual authentication failed); is {DisplayUrl} really the KojiComposer service?", e);
        }
    }

    /// <summary>The Basic password: <c>KOJICOMPOSER_PASSWORD</c>, else the first line of
    /// <c>service_password_file</c>. Never part of any message.</summary>
    private string Password()
    {
        if (_environment(PasswordVariable) is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }

        if (_profile.ServicePasswordFile is not { } path)
        {
            throw Problem("service_auth", $"\"basic\" needs a password for {_profile.ServiceUser}: set {PasswordVariable}, or service_password_file (a file with the password on its first line)");
        }

        string? line;
        try
        {
            using var reader = new StreamReader(path);
            line = reader.ReadLine();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Problem("service_password_file", $"cannot read {path}: {e.Message}");
        }

        return line is { Length: > 0 } ? line : throw Problem("service_password_file", $"{path} is empty: put the password on its first line (or set {PasswordVariable})");
    }

    private ConfigurationException Problem(string key, string problem) =>
        new([new ConfigurationError(_profile.Sources.Count > 0 ? _profile.Sources[^1] : "cli.toml", null, $"{_profile.Name}.{key}", problem)]);

    private static bool Offers(HttpResponseMessage response, string scheme) => response.Headers.WwwAuthenticate.Any(h => IsScheme(h, scheme));

    private static bool IsScheme(AuthenticationHeaderValue header, string scheme) => string.Equals(header.Scheme, scheme, StringComparison.OrdinalIgnoreCase);
}
