using System.Net.Security;

namespace KojiComposer.Scheduler.Web.Access;

/// <summary>
/// Accepts one SPNEGO token from <c>Authorization: Negotiate</c> with the service's keytab (GSSAPI reads it from
/// <c>KRB5_KTNAME</c>), the way Apache's mod_auth_gssapi does in front of a Koji hub. Kerberos completes in one round
/// trip; a token that needs another (NTLM) is refused.
/// </summary>
internal static class NegotiateAcceptor
{
    /// <summary>The client principal and the final token for <c>WWW-Authenticate</c>, or null when the token is
    /// malformed, not valid for our keytab, or needs more legs.</summary>
    public static (string Principal, byte[] ReplyToken)? Accept(string base64Token)
    {
        byte[] token;
        try
        {
            token = Convert.FromBase64String(base64Token);
        }
        catch (FormatException)
        {
            return null;
        }

        using var server = new NegotiateAuthentication(new NegotiateAuthenticationServerOptions { Package = "Negotiate" });
        var reply = server.GetOutgoingBlob(token, out var status);
        if (status != NegotiateAuthenticationStatusCode.Completed || !server.IsAuthenticated || server.RemoteIdentity.Name is not { Length: > 0 } name)
        {
            return null;
        }

        return (name, reply ?? []);
    }
}
