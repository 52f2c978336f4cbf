using System.Net;
using System.Net.Security;

namespace KojiComposer.HubBridge.Authentication;

/// <summary>
/// One SPNEGO exchange for <c>sslLogin</c>, modelled on Npgsql's GSS loop: build the initial token preemptively
/// for <c>HTTP/&lt;hub host&gt;</c> (never with the port: koji-wire.md §3), send it, then feed the hub's
/// <c>WWW-Authenticate</c> token back and insist on a completed, mutually authenticated context. A retried login
/// builds a new exchange: a replayed AP-REQ may be refused by the hub's replay cache.
/// </summary>
internal sealed class SpnegoClient : IDisposable
{
    private readonly NegotiateAuthentication _context;
    private readonly string _servicePrincipal;

    private SpnegoClient(NegotiateAuthentication context, string servicePrincipal)
    {
        _context = context;
        _servicePrincipal = servicePrincipal;
    }

    /// <summary>The service principal a hub URL asks for: <c>HTTP/&lt;host&gt;</c>.</summary>
    public static string ServicePrincipalFor(Uri hub) => "HTTP/" + hub.IdnHost;

    /// <summary>Starts an exchange and returns the client with the base64 token for the Authorization header.</summary>
    /// <exception cref="KerberosException">No token could be made (no ticket, unknown service principal, bad keytab).</exception>
    public static (SpnegoClient Client, string Token) Start(Uri hub, KerberosIdentity identity, KerberosCredentials credentials)
    {
        var spn = ServicePrincipalFor(hub);
        var cache = credentials.Prepare(identity);
        var context = new NegotiateAuthentication(new NegotiateAuthenticationClientOptions
        {
            Package = "Negotiate",
            TargetName = spn,
            Credential = CredentialCache.DefaultNetworkCredentials,
            RequireMutualAuthentication = true,
            RequiredProtectionLevel = ProtectionLevel.None,
        });
        byte[]? token;
        NegotiateAuthenticationStatusCode status;

        // gss_krb5_ccache_name is per thread, and GetOutgoingBlob runs synchronously on this thread.
        NativeKerberos.UseCredentialCacheOnThisThread(cache);
        try
        {
            token = context.GetOutgoingBlob(ReadOnlySpan<byte>.Empty, out status);
        }
        finally
        {
            NativeKerberos.UseCredentialCacheOnThisThread(null);
        }

        if (token is null || status is not (NegotiateAuthenticationStatusCode.ContinueNeeded or NegotiateAuthenticationStatusCode.Completed))
        {
            context.Dispose();
            var hint = identity.KeytabPath is null
                ? "(no ticket? run kinit, or configure a principal and keytab; is krb5.conf pointing at the realm?)"
                : "(is the service principal registered in the KDC, the keytab current, krb5.conf pointing at the realm?)";
            throw new KerberosException($"cannot get a Kerberos ticket for {spn} as {identity}: {Describe(status)} {hint}");
        }

        return (new SpnegoClient(context, spn), Convert.ToBase64String(token));
    }

    /// <summary>
    /// Checks the hub's mutual-authentication reply (the value of <c>WWW-Authenticate</c> on the 200).
    /// </summary>
    /// <exception cref="KerberosException">The header is missing, not Negotiate, or its token does not verify.</exception>
    public void Complete(string? wwwAuthenticate)
    {
        const string Scheme = "Negotiate ";
        if (string.IsNullOrWhiteSpace(wwwAuthenticate) || !wwwAuthenticate.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new KerberosException(
                $"hub did not prove its identity ({_servicePrincipal}): no 'WWW-Authenticate: Negotiate <token>' on the login reply, so mutual authentication failed");
        }

        byte[] reply;
        try
        {
            reply = Convert.FromBase64String(wwwAuthenticate[Scheme.Length..].Trim());
        }
        catch (FormatException e)
        {
            throw new KerberosException($"hub's mutual-authentication token for {_servicePrincipal} is not base64", e);
        }

        _context.GetOutgoingBlob(reply, out var status);
        if (status != NegotiateAuthenticationStatusCode.Completed || !_context.IsMutuallyAuthenticated)
        {
            throw new KerberosException(
                $"hub's mutual-authentication token for {_servicePrincipal} did not verify: {Describe(status)}");
        }
    }

    private static string Describe(NegotiateAuthenticationStatusCode status) => status switch
    {
        NegotiateAuthenticationStatusCode.GenericFailure => "GSSAPI failure (no credentials for this principal, or the KDC does not know the service)",
        NegotiateAuthenticationStatusCode.UnknownCredentials => "unknown credentials",
        NegotiateAuthenticationStatusCode.CredentialsExpired => "credentials expired",
        NegotiateAuthenticationStatusCode.BadBinding => "bad channel binding",
        NegotiateAuthenticationStatusCode.MessageAltered => "token altered",
        NegotiateAuthenticationStatusCode.InvalidToken => "invalid token",
        NegotiateAuthenticationStatusCode.ContinueNeeded => "the exchange did not finish",
        _ => status.ToString(),
    };

    public void Dispose() => _context.Dispose();
}
