using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.Python;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubSimulator.Handlers;

/// <summary>
/// Builds, archives, users and hosts as clients read them (koji-wire.md §10, cg-import.md §6.3; kojihub
/// <c>get_build</c>, <c>get_next_release</c>, <c>list_archives</c>, <c>get_archive_type</c>, <c>get_user</c>,
/// <c>get_host</c>).
/// </summary>
internal static class BuildReadHandlers
{
    public static void Register(HubSimulator hub)
    {
        var d = hub.Dispatcher;
        d.Register("getBuild", GetBuild);
        d.Register("getNextRelease", GetNextRelease);
        d.Register("listArchives", ListArchives);
        d.Register("getArchiveType", GetArchiveType);
        d.Register("getUser", GetUser);
        d.Register("getHost", GetHost);
    }

    /// <summary>getBuild(buildInfo, strict=False): by id, <c>"N-V-R"</c> or <c>{name, version, release}</c>.</summary>
    private static object? GetBuild(CallContext call)
    {
        var args = call.Bind("buildInfo", "strict?");
        var build = call.State.FindBuild(args["buildInfo"], args.Bool("strict"));
        return build is null ? null : HubDicts.Build(call.State, build);
    }

    /// <summary>
    /// getNextRelease(build_info, incr=1): from the release of the newest (highest id) BUILDING, COMPLETE or DELETED
    /// build of the name and version: none → <c>incr</c>; digits → +incr; <c>N.x</c> → first part +incr;
    /// <c>a.b.N</c> → last part +incr; anything else → BuildError <c>Unable to increment release value: r</c>.
    /// </summary>
    private static object? GetNextRelease(CallContext call)
    {
        var args = call.Bind("build_info", "incr?");
        var info = args.Struct("build_info") ?? throw HubFault.Python("TypeError", $"'{Arguments.Python(args["build_info"])}' object is not subscriptable");
        var name = info.TryGetValue("name", out var n) ? n : throw HubFault.Python("KeyError", "'name'");
        var version = info.TryGetValue("version", out var v) ? v : throw HubFault.Python("KeyError", "'version'");
        var incr = args.Has("incr") ? args.Long("incr") : 1;
        var latest = call.State.Builds.Values
            .Where(b => Equals(b.Name, name) && Equals(b.Version, version) && !b.Draft &&
                        b.State is BuildState.Complete or BuildState.Deleted or BuildState.Building)
            .OrderByDescending(b => b.Id).FirstOrDefault();
        var release = latest?.Release;
        if (string.IsNullOrEmpty(release))
        {
            return Num(incr);
        }

        if (IsDigits(release))
        {
            return Num(long.Parse(release, System.Globalization.CultureInfo.InvariantCulture) + incr);
        }

        var parts = release.Split('.');
        if (parts.Length == 2 && IsDigits(parts[0]))
        {
            parts[0] = Num(long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) + incr);
            return string.Join('.', parts);
        }

        if (parts.Length == 3 && IsDigits(parts[2]))
        {
            parts[2] = Num(long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) + incr);
            return string.Join('.', parts);
        }

        throw new HubFault(1005, $"Unable to increment release value: {release}");
    }

    private static bool IsDigits(string s) => s.Length > 0 && s.All(char.IsAsciiDigit);

    private static string Num(long n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>listArchives(buildID=…, …): the archives of a build (or by file name, type, id).</summary>
    private static object? ListArchives(CallContext call)
    {
        var args = call.Bind(
            "buildID?", "buildrootID?", "componentBuildrootID?", "hostID?", "type?", "filename?", "size?", "checksum?",
            "checksum_type?", "typeInfo?", "queryOpts?", "imageID?", "archiveID?", "strict?");
        var buildId = args.LongOrNull("buildID");
        if (buildId is { } id && args.Bool("strict") && !call.State.Builds.ContainsKey(id))
        {
            throw HubFault.Generic($"No such build: {id}");
        }

        var archives = call.State.Archives.Values
            .Where(a => buildId is null || a.BuildId == buildId)
            .Where(a => args.LongOrNull("buildrootID") is not { } br || a.BuildrootId == br)
            .Where(a => args.StringOrNull("type") is not { } t || string.Equals(a.Btype, t, StringComparison.Ordinal))
            .Where(a => args.StringOrNull("filename") is not { } f || string.Equals(a.Filename, f, StringComparison.Ordinal))
            .Where(a => args.LongOrNull("size") is not { } s || a.Size == s)
            .Where(a => args.StringOrNull("checksum") is not { } c || string.Equals(a.Checksum, c, StringComparison.Ordinal))
            .Where(a => args.LongOrNull("archiveID") is not { } aid || a.Id == aid)
            .OrderBy(a => a.Id);
        return archives.Select(a => (object?)HubDicts.Archive(a)).ToArray();
    }

    /// <summary>getArchiveType(filename=None, type_name=None, type_id=None, strict=False).</summary>
    private static object? GetArchiveType(CallContext call)
    {
        var args = call.Bind("filename?", "type_name?", "type_id?", "strict?");
        var strict = args.Bool("strict");
        ArchiveType? type;
        if (args.LongOrNull("type_id") is { } typeId && typeId != 0)
        {
            type = call.State.ArchiveTypes.FirstOrDefault(t => t.Id == typeId);
            if (type is null && strict)
            {
                throw HubFault.Generic("query returned no rows");
            }
        }
        else if (args.StringOrNull("type_name") is { Length: > 0 } name)
        {
            type = call.State.ArchiveTypes.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal))
                ?? throw HubFault.Generic("query returned no rows");
        }
        else if (args.StringOrNull("filename") is { Length: > 0 } filename)
        {
            type = call.State.ArchiveTypeOf(filename);
            if (type is null && strict)
            {
                throw HubFault.Generic($"unsupported file extension: {filename}");
            }
        }
        else
        {
            throw HubFault.Generic("one of filename, type_name, or type_id must be specified");
        }

        return type is null ? null : HubDicts.ArchiveType(type);
    }

    /// <summary>getUser(userInfo=None, strict=False, krb_princs=True, groups=False): by id, name or principal.</summary>
    private static object? GetUser(CallContext call)
    {
        var args = call.Bind("userInfo?", "strict?", "krb_princs?", "groups?");
        var info = args["userInfo"] ?? call.Session?.UserId ?? throw HubFault.Generic("No user provided");
        SimUser? user = info switch
        {
            int or long => call.State.Users.GetValueOrDefault(Convert.ToInt64(info, System.Globalization.CultureInfo.InvariantCulture)),
            string s => call.State.UserByName(s) ?? call.State.UserByPrincipal(s),
            XmlRpcStruct d when d.TryGetValue("id", out var i) && i is int or long => call.State.Users.GetValueOrDefault(Convert.ToInt64(i, System.Globalization.CultureInfo.InvariantCulture)),
            XmlRpcStruct d when d.TryGetValue("name", out var nm) && nm is string name => call.State.UserByName(name),
            XmlRpcStruct d when d.TryGetValue("krb_principal", out var kp) && kp is string principal => call.State.UserByPrincipal(principal),
            _ => throw HubFault.Generic($"Invalid type for userInfo: <class '{Arguments.Python(info)}'>"),
        };
        if (user is null)
        {
            return args.Bool("strict") ? throw HubFault.Generic($"No such user: {PythonRepr.Of(info)}") : null;
        }

        var reply = new XmlRpcStruct { ["id"] = user.Id, ["name"] = user.Name, ["status"] = user.Status, ["usertype"] = user.UserType };
        if (args.Bool("krb_princs", fallback: true))
        {
            reply["krb_principals"] = user.Principals.ToArray<object?>();
        }

        return reply;
    }

    /// <summary>getHost(hostInfo, strict=False, event=None): by id or name; strict → <c>Invalid hostInfo: x</c>.</summary>
    private static object? GetHost(CallContext call)
    {
        var args = call.Bind("hostInfo", "strict?", "event?");
        var info = args["hostInfo"];
        var host = info switch
        {
            int or long => call.State.Hosts.GetValueOrDefault(Convert.ToInt64(info, System.Globalization.CultureInfo.InvariantCulture)),
            string name => call.State.Hosts.Values.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.Ordinal)),
            _ => throw new HubFault(1019, $"Invalid name or id value: {PythonRepr.Of(info)}"),
        };
        if (host is null)
        {
            return args.Bool("strict") ? throw HubFault.Generic($"Invalid hostInfo: {TagReadHandlers.Str(info)}") : null;
        }

        return HubDicts.Host(host);
    }
}
