using System.Net.Security;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.State;
using Microsoft.AspNetCore.Http;

namespace KojiComposer.HubSimulator.Http;

internal sealed partial class HubEndpoint
{
    /// <summary>
    /// What Apache mod_auth_gssapi does in front of <c>/ssllogin</c>: accept the Negotiate token with the service
    /// keytab, or refuse with 401. Returns the client principal and the AP-REP for <c>WWW-Authenticate</c>.
    /// </summary>
    private static (string Principal, byte[] ReplyToken)? AcceptNegotiate(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.FirstOrDefault();
        const string Scheme = "Negotiate ";
        if (header is null || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        byte[] token;
        try
        {
            token = Convert.FromBase64String(header[Scheme.Length..].Trim());
        }
        catch (FormatException)
        {
            return null;
        }

        using var server = new NegotiateAuthentication(new NegotiateAuthenticationServerOptions { Package = "Negotiate" });
        var reply = server.GetOutgoingBlob(token, out var status);
        if (status != NegotiateAuthenticationStatusCode.Completed || !server.IsAuthenticated)
        {
            return null;
        }

        return (server.RemoteIdentity.Name ?? string.Empty, reply ?? []);
    }

    private static async Task UnauthorizedAsync(HttpContext http)
    {
        http.Response.StatusCode = 401;
        http.Response.Headers.WWWAuthenticate = "Negotiate";
        http.Response.ContentType = "text/html; charset=iso-8859-1";
        await http.Response.WriteAsync(
            "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>401 Unauthorized</title>\n</head><body>\n<h1>Unauthorized</h1>\n" +
            "<p>This server could not verify that you are authorized to access the document requested.</p>\n</body></html>\n").ConfigureAwait(false);
    }

    /// <summary>
    /// <c>sslLogin</c> behind GSSAPI (kojihub/auth.py): the principal maps to a user through its Kerberos
    /// principals; a blocked user is refused; <c>renew=True</c> with the old session keeps its id and issues a new key.
    /// </summary>
    private object? Login(HttpContext http, XmlRpcMethodCall request, string principal, SessionLookup lookup)
    {
        if (hub.Offline)
        {
            throw new HubFault(1014, "server is offline");
        }

        if (!string.Equals(request.MethodName, "sslLogin", StringComparison.Ordinal))
        {
            throw HubFault.Generic($"Invalid method: {request.MethodName}");
        }

        var (positional, keywords) = KojiArguments.Split(request.Params);
        var args = Arguments.Bind("sslLogin", ["proxyuser?", "proxyauthtype?", "renew?", "exclusive?"], positional, keywords);
        if (args["proxyuser"] is not null)
        {
            throw HubFault.Auth($"{principal} is not authorized to login other users");
        }

        lock (hub.State.Sync)
        {
            var state = hub.State;
            var user = state.UserByPrincipal(principal) ?? throw HubFault.Auth($"Unknown user: {principal}");
            if (user.Status != 0)
            {
                throw HubFault.Auth($"logins by {user.Name} are not allowed");
            }

            var now = hub.Time.GetUtcNow();
            SimSession session;
            if (args.Bool("renew"))
            {
                session = Authorize(lookup, "sslLogin", allowExpired: true)
                    ?? throw HubFault.Auth("Invalid session or bad credentials");
                if (session.UserId != user.Id)
                {
                    throw HubFault.Auth("Invalid session or bad credentials");
                }

                session.Key = HubState.NewKey(user.Id);
                session.Expired = false;
                session.RenewTime = now;
                if (args.Bool("exclusive"))
                {
                    session.Exclusive = true;
                }

                if (lookup.CallNumber is { } n)
                {
                    session.StoredCallNumber = n;
                }
            }
            else
            {
                session = state.NewSession(user.Id, lookup.ClientAddress, now);
            }

            var reply = new XmlRpcStruct { ["session-id"] = session.Id, ["session-key"] = session.Key };
            if (hub.Options.HeaderAuth)
            {
                // Hubs before 1.31 do not send it at all.
                reply["header-auth"] = true;
            }

            return reply;
        }
    }
}
