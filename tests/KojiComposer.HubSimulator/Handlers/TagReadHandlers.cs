using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.Python;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubSimulator.Handlers;

/// <summary>
/// Targets, tags and repos as the builder reads them (koji-wire.md §10; kojihub <c>get_build_target</c>,
/// <c>get_tag</c>, <c>getBuildConfig</c>, repos.py <c>old_get_repo</c>, <c>request_repo</c>).
/// </summary>
internal static class TagReadHandlers
{
    public static void Register(HubSimulator hub)
    {
        var d = hub.Dispatcher;
        d.Register("getBuildTarget", GetBuildTarget);
        d.Register("getTag", GetTag);
        d.Register("getBuildConfig", GetBuildConfig);
        d.Register("getRepo", GetRepo);
        d.Register("repo.request", RequestRepo);
        d.Register("listTags", ListTags);
    }

    /// <summary>
    /// listTags(build=None, package=None, perms=True, queryOpts=None, pattern=None): with <c>build</c> the tags the
    /// build is in now (its active tag listings; an unknown build fails as getBuild(strict=True)), without filters
    /// every tag; rows <c>{id, name, perm_id, perm, arches, locked, maven_support, maven_include_all}</c>, by name.
    /// The package filter is not simulated.
    /// </summary>
    private static object? ListTags(CallContext call)
    {
        var args = call.Bind("build?", "package?", "perms?", "queryOpts?", "pattern?");
        if (args["package"] is not null)
        {
            throw HubFault.Generic("the simulated hub does not implement listTags(package=...)");
        }

        IEnumerable<SimTag> tags = call.State.Tags.Values;
        if (args["build"] is { } buildInfo)
        {
            var build = call.State.FindBuild(buildInfo, strict: true)!;
            var tagged = call.State.TagHistory.Where(l => l.BuildId == build.Id && l.Active).Select(l => l.TagId).ToHashSet();
            tags = tags.Where(t => tagged.Contains(t.Id));
        }

        return tags.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => (object?)HubDicts.Sorted(
            ("id", t.Id), ("name", t.Name), ("perm_id", t.Perm is null ? null : 1), ("perm", t.Perm), ("arches", t.Arches),
            ("locked", t.Locked), ("maven_support", false), ("maven_include_all", false))).ToArray();
    }

    /// <summary>getBuildTarget(info, event=None, strict=False): by name or id; strict → <c>No such build target: x</c>.</summary>
    private static object? GetBuildTarget(CallContext call)
    {
        var args = call.Bind("info", "event?", "strict?");
        var info = args["info"];
        var target = info switch
        {
            int or long => call.State.Targets.GetValueOrDefault(Convert.ToInt64(info, System.Globalization.CultureInfo.InvariantCulture)),
            string name => call.State.Targets.Values.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal)),
            _ => throw new HubFault(1019, $"Invalid name or id value: {PythonRepr.Of(info)}"),
        };
        if (target is null)
        {
            return args.Bool("strict") ? throw HubFault.Generic($"No such build target: {Str(info)}") : null;
        }

        return HubDicts.Target(call.State, target);
    }

    /// <summary>getTag(tagInfo, strict=False, event=None, blocked=False); strict → <c>No such tagInfo: %r</c>.</summary>
    private static object? GetTag(CallContext call)
    {
        var args = call.Bind("tagInfo", "strict?", "event?", "blocked?");
        var tag = call.State.FindTag(args["tagInfo"]);
        if (tag is null)
        {
            return args.Bool("strict") ? throw NoSuchTag(args["tagInfo"]) : null;
        }

        return HubDicts.Tag(tag);
    }

    /// <summary>
    /// getBuildConfig(tag, event=None): the tag with <c>arches</c> and <c>extra</c> filled in from its ancestors,
    /// and <c>config_inheritance</c> naming where each came from.
    /// </summary>
    private static object? GetBuildConfig(CallContext call)
    {
        var args = call.Bind("tag", "event?");
        var tag = call.State.FindTag(args["tag"]) ?? throw NoSuchTag(args["tag"]);
        var info = HubDicts.Tag(tag);
        var extra = (XmlRpcStruct)info["extra"]!;
        var inheritedExtra = new XmlRpcStruct();
        object? inheritedArches = null;
        foreach (var ancestor in call.State.Ancestors(tag))
        {
            if (info["arches"] is null && ancestor.Arches is not null)
            {
                info["arches"] = ancestor.Arches;
                inheritedArches = new XmlRpcStruct { ["id"] = ancestor.Id, ["name"] = ancestor.Name };
            }

            foreach (var (key, value) in ancestor.Extra)
            {
                if (extra.TryAdd(key, value))
                {
                    inheritedExtra[key] = new XmlRpcStruct { ["id"] = ancestor.Id, ["name"] = ancestor.Name };
                }
            }
        }

        info["config_inheritance"] = new XmlRpcStruct { ["extra"] = inheritedExtra, ["arches"] = inheritedArches };
        return info;
    }

    /// <summary>getRepo(tag, state=None, event=None, dist=False, min_event=None): the newest matching repo or nil.</summary>
    private static object? GetRepo(CallContext call)
    {
        var args = call.Bind("tag", "state?", "event?", "dist?", "min_event?");
        var tag = call.State.FindTag(args["tag"]) ?? throw HubFault.Generic($"No such entry in table tag: {Str(args["tag"])}");
        if (args.Bool("dist"))
        {
            return null; // the simulator has no dist repos
        }

        var eventLimit = args.LongOrNull("event");
        var state = (RepoState)(args.LongOrNull("state") ?? (long)RepoState.Ready);
        var minEvent = args.LongOrNull("min_event");
        var repo = call.State.Repos.Values
            .Where(r => r.TagId == tag.Id)
            .Where(r => eventLimit is { } e ? r.CreateEvent <= e : r.State == state)
            .Where(r => minEvent is not { } m || r.CreateEvent >= m)
            .OrderByDescending(r => r.CreateTime).ThenByDescending(r => r.Id)
            .FirstOrDefault();
        return repo is null ? null : HubDicts.Repo(call.State, repo);
    }

    /// <summary>
    /// repo.request(tag, min_event=None, at_event=None, opts=None, priority=None, force=False) (koji ≥ 1.35): the
    /// newest READY repo at or after the minimum event, else a (possibly existing) request for one. The default
    /// minimum event is the tag's creation event, what a young hub without events older than RepoLag uses.
    /// </summary>
    private static object? RequestRepo(CallContext call)
    {
        var args = call.Bind("tag", "min_event?", "at_event?", "opts?", "priority?", "force?");
        var user = call.RequireLogin();
        var tag = call.State.FindTag(args["tag"]) ?? throw NoSuchTag(args["tag"]);
        var atEvent = args.LongOrNull("at_event");
        long? minEvent = null;
        if (atEvent is not null)
        {
            if (args["min_event"] is not null)
            {
                throw HubFault.Parameter("The min_event and at_event options conflict");
            }
        }
        else if (args["min_event"] is "last")
        {
            minEvent = call.State.Event;
        }
        else
        {
            minEvent = args.LongOrNull("min_event") ?? tag.CreateEvent;
        }

        var priority = 20;
        if (args.LongOrNull("priority") is { } p)
        {
            if (p < 0 && !user.Permissions.Contains("admin"))
            {
                throw HubFault.NotAllowed("only admins may create high-priority requests");
            }

            priority = 20 + (int)p;
        }

        var reply = new XmlRpcStruct { ["repo"] = null, ["request"] = null, ["duplicate"] = false };
        if (!args.Bool("force"))
        {
            var repo = call.State.Repos.Values
                .Where(r => r.TagId == tag.Id && r.State == RepoState.Ready)
                .Where(r => atEvent is { } at ? r.CreateEvent == at : r.CreateEvent >= minEvent)
                .OrderByDescending(r => r.CreateEvent).FirstOrDefault();
            if (repo is not null)
            {
                reply["repo"] = HubDicts.Repo(call.State, repo);
                return reply;
            }
        }

        var existing = call.State.RepoRequests.Values
            .Where(r => r.TagId == tag.Id && r.Active && (atEvent is { } at ? r.AtEvent == at : r.MinEvent >= minEvent))
            .OrderBy(r => r.Priority).ThenBy(r => r.Id).FirstOrDefault();
        if (existing is not null)
        {
            reply["request"] = Request(call, existing);
            reply["duplicate"] = true;
            return reply;
        }

        var request = new SimRepoRequest
        {
            Id = call.State.Sequence("repo_queue"),
            TagId = tag.Id,
            Owner = user.Id,
            Priority = priority,
            MinEvent = minEvent,
            AtEvent = atEvent,
            CreateTime = call.Now,
        };
        call.State.RepoRequests[request.Id] = request;
        call.Commit();
        reply["request"] = Request(call, request);
        return reply;
    }

    private static XmlRpcStruct Request(CallContext call, SimRepoRequest r) => HubDicts.Sorted(
        ("id", r.Id), ("owner", r.Owner), ("owner_name", call.State.Users[r.Owner].Name), ("priority", r.Priority),
        ("tag_id", r.TagId), ("tag_name", call.State.Tags[r.TagId].Name), ("at_event", r.AtEvent), ("min_event", r.MinEvent),
        ("opts", new XmlRpcStruct()), ("active", r.Active), ("task_id", null), ("task_state", null), ("repo_id", null),
        ("tries", 0), ("create_time", SessionHandlers.Time(r.CreateTime)), ("create_ts", SessionHandlers.Ts(r.CreateTime)),
        ("update_time", SessionHandlers.Time(r.CreateTime)), ("update_ts", SessionHandlers.Ts(r.CreateTime)));

    public static HubFault NoSuchTag(object? info) => HubFault.Generic($"No such tagInfo: {PythonRepr.Of(info)}");

    /// <summary>Python's <c>str()</c> of a value, for <c>%s</c> texts.</summary>
    public static string Str(object? value) => value is string s ? s : PythonRepr.Of(value);
}
