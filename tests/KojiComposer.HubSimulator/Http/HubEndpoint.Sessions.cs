using System.Globalization;
using KojiComposer.HubSimulator.State;
using Microsoft.AspNetCore.Http;

namespace KojiComposer.HubSimulator.Http;

/// <summary>Where a request's session came from and what it claimed.</summary>
internal struct SessionLookup
{
    public long? ClaimedId;
    public string? Key;
    public long? CallNumber;
    public string? Via;
    public HubFault? Error;
    public string ClientAddress;
}

internal sealed partial class HubEndpoint
{
    /// <summary>
    /// Reads the session from <c>Koji-Session-*</c> headers, else from the URL query (kojihub/auth.py
    /// <c>Session.__init__</c>, koji-wire.md §4.1): headers win; a query without <c>session-id</c> fails even for
    /// anonymous calls; with DisableURLSessions the query is ignored and the call runs anonymously.
    /// </summary>
    private SessionLookup ResolveSession(HttpContext http)
    {
        var lookup = new SessionLookup { ClientAddress = ClientAddress(http) };
        var headers = http.Request.Headers;
        if (headers.TryGetValue("Koji-Session-Id", out var id))
        {
            lookup.Via = "header";
            lookup.ClaimedId = ParseLong(id, "session-id", ref lookup);
            lookup.Key = headers["Koji-Session-Key"].FirstOrDefault();
            var callnum = headers.TryGetValue("Koji-Session-Callnum", out var c) ? c : headers["Koji-Callnum"];
            if (!string.IsNullOrEmpty(callnum))
            {
                lookup.CallNumber = ParseLong(callnum, "callnum", ref lookup);
            }

            if (lookup.Key is null)
            {
                lookup.Error ??= HubFault.Auth("'session-key' not specified in session args");
            }

            return lookup;
        }

        var query = http.Request.Query;
        if (http.Request.QueryString.HasValue && !hub.Options.DisableUrlSessions)
        {
            lookup.Via = "query";
            if (!query.TryGetValue("session-id", out var qid))
            {
                // Upload parameters alone are a query string too; the hub still wants a session in it.
                lookup.Error = HubFault.Auth("'session-id' not specified in session args");
                lookup.Via = null;
                return lookup;
            }

            lookup.ClaimedId = ParseLong(qid, "session-id", ref lookup);
            if (!query.TryGetValue("session-key", out var key))
            {
                lookup.Error ??= HubFault.Auth("'session-key' not specified in session args");
                return lookup;
            }

            lookup.Key = key;
            if (query.TryGetValue("callnum", out var callnum) && !string.IsNullOrEmpty(callnum))
            {
                lookup.CallNumber = ParseLong(callnum, "callnum", ref lookup);
            }
        }

        return lookup;
    }

    private static long? ParseLong(string? text, string what, ref SessionLookup lookup)
    {
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        lookup.Error ??= HubFault.Python("ValueError", $"invalid literal for int() with base 10: '{text}' ({what})");
        return null;
    }

    /// <summary>
    /// The hub's session checks, in its order: the session exists with this key, is open and comes from the same
    /// address; it is not expired; no other session of the user holds exclusivity (unless the method passes the lock);
    /// the call number is not behind the stored one, and equal only for whitelisted methods. Call with the state lock held.
    /// </summary>
    internal SimSession? Authorize(SessionLookup lookup, string method, bool allowExpired = false)
    {
        if (lookup.Error is not null)
        {
            throw lookup.Error;
        }

        if (lookup.ClaimedId is not { } id)
        {
            return null;
        }

        var state = hub.State;
        if (!state.Sessions.TryGetValue(id, out var session) || session.Closed ||
            !string.Equals(session.Key, lookup.Key, StringComparison.Ordinal) ||
            !string.Equals(session.ClientAddress, lookup.ClientAddress, StringComparison.Ordinal))
        {
            throw HubFault.Auth("Invalid session or bad credentials");
        }

        if (session.Expired && !allowExpired)
        {
            throw new HubFault(1007, $"session \"{id}\" has expired");
        }

        if (!Dispatcher.PassExclusiveLock.Contains(method) && !session.Exclusive)
        {
            var locked = state.Sessions.Values.Any(s =>
                s.UserId == session.UserId && s.Exclusive && !s.Closed && s.Id != session.Id && s.Id != session.Master && s.Master != session.Id
                && (session.Master is null || s.Master != session.Master));
            if (locked)
            {
                throw new HubFault(1006, "User locked by another session");
            }
        }

        if (lookup.CallNumber is { } n && session.StoredCallNumber is { } stored)
        {
            if (n < stored)
            {
                throw new HubFault(1008, $"{stored} > {n} (session {id})");
            }

            if (n == stored && !Dispatcher.RetryWhitelist.Contains(method))
            {
                throw new HubFault(1009, $"unable to retry call {n} (method {method}) for session {id}");
            }
        }

        session.UpdateTime = hub.Time.GetUtcNow();
        return session;
    }
}
