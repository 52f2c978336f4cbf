using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using KojiComposer.Scheduler.Hosting;
using Microsoft.AspNetCore.Http;

namespace KojiComposer.Scheduler.Web.Access;

/// <summary>
/// Decides who a request comes from and whether it may go on: loopback requests get
/// <see cref="WebSettings.LocalRole"/>; others are refused unless <see cref="WebSettings.AllowRemote"/>, and then
/// need HTTP Basic (a configured user) or Negotiate (a configured Kerberos principal). Roles are enforced by the
/// endpoints (<see cref="WebIdentity.IsOperator"/>).
/// </summary>
internal sealed class AccessPolicy
{
    private const int MaxCachedLogins = 1024;

    private readonly WebSettings _settings;
    private readonly Dictionary<string, WebUser> _users;
    private readonly Dictionary<string, WebRole> _principals;

    // PBKDF2 costs a few hundred milliseconds by design; a dashboard polling every few seconds with Basic would pay
    // it on every request. Successful checks are remembered by a digest of (user, password, stored hash), so a
    // changed password or hash misses the cache.
    private readonly ConcurrentDictionary<string, bool> _verifiedLogins = new(StringComparer.Ordinal);

    public AccessPolicy(WebSettings settings)
    {
        _settings = settings;
        _users = settings.Users.ToDictionary(u => u.Name, StringComparer.Ordinal);
        _principals = settings.NegotiatePrincipals.ToDictionary(p => p.Principal, p => p.Role, StringComparer.Ordinal);
    }

    /// <summary>True when Negotiate is offered in challenges.</summary>
    public bool OffersNegotiate => _principals.Count > 0;

    /// <summary>True when Basic is offered in challenges.</summary>
    public bool OffersBasic => _users.Count > 0;

    /// <summary>The realm of the Basic challenge.</summary>
    public string BasicRealm => _settings.BasicRealm;

    /// <summary>True for a request from the loopback interface (IPv4-mapped addresses included). A request with
    /// no address (a Unix socket, an in-process host) is not local.</summary>
    public static bool IsLoopback(HttpContext http)
    {
        var remote = http.Connection.RemoteIpAddress;
        if (remote is null)
        {
            return false;
        }

        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        return IPAddress.IsLoopback(remote);
    }

    public AccessDecision Decide(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.FirstOrDefault();
        var local = IsLoopback(http);
        if (local && _settings.LocalRole is { } localRole && string.IsNullOrEmpty(header))
        {
            return AccessDecision.Grant(new WebIdentity("local", localRole, "local"));
        }

        if (!local && !_settings.AllowRemote)
        {
            return AccessDecision.Refuse("remote access is disabled; only local requests are served");
        }

        if (string.IsNullOrEmpty(header))
        {
            return AccessDecision.Challenge("authentication required");
        }

        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) && OffersBasic)
        {
            return DecideBasic(header["Basic ".Length..].Trim());
        }

        if (header.StartsWith("Negotiate ", StringComparison.OrdinalIgnoreCase) && OffersNegotiate)
        {
            return DecideNegotiate(header["Negotiate ".Length..].Trim());
        }

        return AccessDecision.Challenge("unsupported authentication scheme");
    }

    private AccessDecision DecideBasic(string encoded)
    {
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        }
        catch (FormatException)
        {
            return AccessDecision.Challenge("malformed Basic credentials");
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return AccessDecision.Challenge("malformed Basic credentials");
        }

        var name = text[..colon];
        var password = text[(colon + 1)..];
        if (!_users.TryGetValue(name, out var user) || !Verify(user, password))
        {
            return AccessDecision.Challenge("wrong user name or password");
        }

        return AccessDecision.Grant(new WebIdentity(user.Name, user.Role, "basic"));
    }

    private bool Verify(WebUser user, string password)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{user.Name}\0{password}\0{user.PasswordHash}")));
        if (_verifiedLogins.ContainsKey(key))
        {
            return true;
        }

        if (!WebPasswordHash.Verify(password, user.PasswordHash))
        {
            return false;
        }

        if (_verifiedLogins.Count >= MaxCachedLogins)
        {
            _verifiedLogins.Clear();
        }

        _verifiedLogins[key] = true;
        return true;
    }

    private AccessDecision DecideNegotiate(string encoded)
    {
        var accepted = NegotiateAcceptor.Accept(encoded);
        if (accepted is not { } result)
        {
            return AccessDecision.Challenge("Negotiate authentication failed");
        }

        return _principals.TryGetValue(result.Principal, out var role)
            ? AccessDecision.Grant(new WebIdentity(result.Principal, role, "negotiate"), result.ReplyToken)
            : AccessDecision.Refuse($"principal {result.Principal} has no role on this service");
    }
}
