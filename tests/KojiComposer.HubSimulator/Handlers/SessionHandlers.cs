using System.Security.Cryptography;
using KojiComposer.HubBridge.Uploads;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.Http;

namespace KojiComposer.HubSimulator.Handlers;

/// <summary>Session, identity and generic calls (kojihub/auth.py, kojixmlrpc.py, koji-wire.md §4, §6, §8.3).</summary>
internal static class SessionHandlers
{
    public static void Register(HubSimulator hub)
    {
        var d = hub.Dispatcher;
        d.Register("sslLogin", _ => throw HubFault.Auth("could not verify client: None"));
        d.Register("exclusiveSession", ExclusiveSession);
        d.Register("sharedSession", call =>
        {
            var user = call.RequireUser();
            call.Session!.Exclusive = false;
            call.Commit();
            return null;
        });
        d.Register("logout", Logout);
        d.Register("subsession", Subsession);
        d.Register("logoutChild", LogoutChild);
        d.Register("getLoggedInUser", call => call.User is { } user ? UserInfo(call, user) : null);
        d.Register("getSessionInfo", SessionInfo);
        d.Register("echo", call => call.Positional);
        d.Register("getAPIVersion", _ => 1);
        d.Register("getKojiVersion", call => call.Hub.Options.Version);
        d.Register("host.getID", call => call.RequireHost().Id);
        d.Register("checkUpload", CheckUpload);
        d.Register("multiCall", MultiCall);
        d.Register("system.multicall", MultiCall);
    }

    /// <summary>
    /// kojihub/auth.py <c>makeExclusive</c>: refused while another open session of the user is exclusive, unless
    /// forced, which closes that session. Expired but unclosed sessions count too.
    /// </summary>
    private static object? ExclusiveSession(CallContext call)
    {
        var args = call.Bind("force?");
        call.RequireUser();
        var session = call.Session!;
        var others = call.State.Sessions.Values
            .Where(s => s.UserId == session.UserId && s.Exclusive && !s.Closed && s.Id != session.Id && s.Master != session.Id)
            .ToList();
        if (others.Count > 0)
        {
            if (!args.Bool("force"))
            {
                throw new HubFault(1006, "Cannot get exclusive session");
            }

            foreach (var other in others)
            {
                other.Closed = true;
            }
        }

        session.Exclusive = true;
        call.Commit();
        return null;
    }

    private static object? Logout(CallContext call)
    {
        var args = call.Bind("session_id?");
        if (call.Session is null)
        {
            return null;
        }

        var target = args.LongOrNull("session_id") ?? call.Session.Id;
        foreach (var s in call.State.Sessions.Values.Where(s => s.Id == target || s.Master == target))
        {
            s.Closed = true;
        }

        call.Commit();
        return null;
    }

    /// <summary>
    /// subsession(): a new session of the same user and address whose master is the caller; it inherits
    /// exclusivity and has its own call numbers (kojihub/auth.py <c>subsession</c>, koji-wire.md §4.2).
    /// </summary>
    private static object? Subsession(CallContext call)
    {
        call.Bind();
        call.RequireUser();
        var master = call.Session!;
        var child = call.State.NewSession(master.UserId, master.ClientAddress, call.Now, master.Id);
        child.Exclusive = master.Exclusive;
        call.Commit();
        return new XmlRpcStruct { ["session-id"] = child.Id, ["session-key"] = child.Key, ["header-auth"] = true };
    }

    /// <summary>logoutChild(session_id): the master closes one of its subsessions.</summary>
    private static object? LogoutChild(CallContext call)
    {
        var args = call.Bind("session_id");
        call.RequireUser();
        var id = args.Long("session_id");
        if (!call.State.Sessions.TryGetValue(id, out var child) || child.Master != call.Session!.Id)
        {
            throw HubFault.Auth("Invalid session or bad credentials");
        }

        child.Closed = true;
        call.Commit();
        return null;
    }

    public static XmlRpcStruct UserInfo(CallContext call, State.SimUser user) => new()
    {
        ["id"] = user.Id,
        ["name"] = user.Name,
        ["status"] = user.Status,
        ["usertype"] = user.UserType,
        ["krb_principals"] = user.Principals.ToArray<object?>(),
        ["authtype"] = call.Session?.AuthType ?? 3,
        ["krb_principal"] = user.Principals.FirstOrDefault(),
    };

    private static object? SessionInfo(CallContext call)
    {
        var s = call.Session ?? throw HubFault.Auth("Not logged-in");
        return new XmlRpcStruct
        {
            ["authtype"] = s.AuthType,
            ["callnum"] = s.StoredCallNumber,
            ["exclusive"] = s.Exclusive ? true : null,
            ["expired"] = s.Expired,
            ["master"] = s.Master,
            ["renew_time"] = Time(s.RenewTime),
            ["renew_ts"] = s.RenewTime.ToUnixTimeMilliseconds() / 1000.0,
            ["start_time"] = Time(s.StartTime),
            ["start_ts"] = s.StartTime.ToUnixTimeMilliseconds() / 1000.0,
            ["update_time"] = Time(s.UpdateTime),
            ["update_ts"] = s.UpdateTime.ToUnixTimeMilliseconds() / 1000.0,
            ["user_id"] = s.UserId,
        };
    }

    /// <summary>The hub's time strings: <c>2026-11-26 01:12:55.516245+00:00</c> (koji-wire.md §2.1).</summary>
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture) + "+00:00";

    public static string? Time(DateTimeOffset? t) => t is { } v ? Time(v) : null;

    public static double? Ts(DateTimeOffset? t) => t is { } v ? v.ToUnixTimeMilliseconds() / 1000.0 : null;

    /// <summary>checkUpload(path, name, verify=None, tail=None): size and mtime, plus a digest over the file or its tail.</summary>
    private static object? CheckUpload(CallContext call)
    {
        var args = call.Bind("path", "name", "verify?", "tail?", "volume?");
        call.RequireUser();
        var file = Path.Combine(call.Hub.WorkDir, args.String("path"), args.String("name"));
        var info = new FileInfo(file);
        if (!info.Exists || info.LinkTarget is not null && !File.Exists(info.LinkTarget))
        {
            return null;
        }

        var reply = new XmlRpcStruct
        {
            ["size"] = info.Length,
            ["mtime"] = new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeMilliseconds() / 1000.0,
        };
        if (args.StringOrNull("verify") is { } verify)
        {
            using var stream = info.OpenRead();
            var tail = args.LongOrNull("tail");
            if (tail is { } t && t < info.Length)
            {
                stream.Position = info.Length - t;
            }

            var length = info.Length - stream.Position;
            string digest = verify switch
            {
                "adler32" => Adler32.ToHex(AdlerOf(stream)),
                "md5" => Convert.ToHexStringLower(MD5.HashData(stream)),
                "sha256" => Convert.ToHexStringLower(SHA256.HashData(stream)),
                _ => throw HubFault.Generic($"Unsupported verify type: {verify}"),
            };
            reply["sumlength"] = length;
            reply["hexdigest"] = digest;
        }

        return reply;
    }

    private static uint AdlerOf(Stream stream)
    {
        var adler = 1u;
        var buffer = new byte[1 << 20];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            adler = Adler32.Update(adler, buffer.AsSpan(0, read));
        }

        return adler;
    }

    /// <summary>
    /// multiCall(calls): each call's result as a one-element array, or a fault struct, in order; one transaction
    /// with a savepoint per call (a fault inside does not undo the others) (koji-wire.md §4.4).
    /// </summary>
    private static object? MultiCall(CallContext call)
    {
        var args = call.Bind("calls");
        var calls = args.Array("calls") ?? throw HubFault.Parameter("calls must be a list");
        var results = new object?[calls.Length];
        for (var i = 0; i < calls.Length; i++)
        {
            try
            {
                var entry = calls[i] as XmlRpcStruct ?? throw HubFault.Generic("multicall entry is not a struct");
                var method = entry.TryGetValue("methodName", out var m) ? m as string : null;
                if (method is null || method is "multiCall" or "system.multicall")
                {
                    throw HubFault.Generic("recursive or unnamed multicall entry");
                }

                var (positional, keywords) = KojiArguments.Split(entry.TryGetValue("params", out var p) && p is object?[] list ? list : []);
                var inner = new CallContext(call.Hub, method, positional, keywords, call.Session, call.ClientAddress);
                results[i] = new object?[] { call.Hub.Endpoint.Dispatch(inner) };
                if (inner.Committed)
                {
                    call.Commit();
                }
            }
            catch (HubFault f)
            {
                results[i] = new XmlRpcStruct { ["faultCode"] = f.Code, ["faultString"] = f.Message };
            }
        }

        return results;
    }
}
