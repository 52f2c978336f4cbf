namespace KojiComposer.HubBridge.Authentication;

/// <summary>
/// One Kerberos (SPNEGO) exchange for an HTTP service other than the hub, e.g. the KojiComposer service's API:
/// the same credential handling as the hub login (keytab or ambient cache), the token for
/// <c>Authorization: Negotiate …</c>, and the check of the service's mutual-authentication reply.
/// </summary>
public sealed class HttpNegotiation : IDisposable
{
    private readonly SpnegoClient _client;

    private HttpNegotiation(SpnegoClient client, string token)
    {
        _client = client;
        Token = token;
    }

    /// <summary>The base64 token to send after <c>Negotiate </c>.</summary>
    public string Token { get; }

    /// <summary>Starts an exchange with <c>HTTP/&lt;host of url&gt;</c> as <paramref name="identity"/>.</summary>
    /// <exception cref="KerberosException">No ticket could be had (no credential cache, bad keytab, unknown SPN).</exception>
    public static HttpNegotiation Start(Uri url, KerberosIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(identity);
        var (client, token) = SpnegoClient.Start(url, identity, KerberosCredentials.Shared);
        return new HttpNegotiation(client, token);
    }

    /// <summary>Verifies the service's <c>WWW-Authenticate</c> reply on a successful response.</summary>
    /// <exception cref="KerberosException">The reply is missing or does not verify.</exception>
    public void Complete(string? wwwAuthenticate) => _client.Complete(wwwAuthenticate);

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();
}
