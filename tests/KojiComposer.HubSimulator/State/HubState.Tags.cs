using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.HubSimulator.State;

/// <summary>Tags, build targets, repos, package lists and the tag history; the seeding API tests use.</summary>
public sealed partial class HubState
{
    public Dictionary<long, SimTag> Tags { get; } = [];

    public Dictionary<long, SimTarget> Targets { get; } = [];

    public Dictionary<long, SimRepo> Repos { get; } = [];

    public Dictionary<long, SimRepoRequest> RepoRequests { get; } = [];

    /// <summary>Package lists by tag id (<c>tag_packages</c>).</summary>
    public Dictionary<long, Dictionary<long, SimPackageListing>> PackageLists { get; } = [];

    /// <summary>Every tagging ever made, revoked ones included (<c>tag_listing</c>).</summary>
    public List<SimTagListing> TagHistory { get; } = [];

    /// <summary>A new database event (koji <c>get_event()</c>).</summary>
    public long NextEvent() => ++Event;

    /// <summary>Creates a tag (<c>koji add-tag [--arches] [--parent]</c>, <c>edit-tag -x</c>).</summary>
    public SimTag AddTag(string name, string? arches = null, XmlRpcStruct? extra = null, string? parent = null)
    {
        if (TagByName(name) is not null)
        {
            throw new InvalidOperationException($"tag {name} exists");
        }

        var tag = new SimTag { Id = Sequence("tag"), Name = name, Arches = arches, CreateEvent = NextEvent() };
        foreach (var (key, value) in extra ?? [])
        {
            tag.Extra[key] = value;
        }

        if (parent is not null)
        {
            tag.Parents.Add((TagByName(parent) ?? throw new InvalidOperationException($"no tag {parent}")).Id);
        }

        Tags[tag.Id] = tag;
        return tag;
    }

    /// <summary>Creates a build target (<c>koji add-target name build-tag dest-tag</c>).</summary>
    public SimTarget AddTarget(string name, string buildTag, string destTag)
    {
        var target = new SimTarget(
            Sequence("build_target"), name,
            (TagByName(buildTag) ?? throw new InvalidOperationException($"no tag {buildTag}")).Id,
            (TagByName(destTag) ?? throw new InvalidOperationException($"no tag {destTag}")).Id);
        Targets[target.Id] = target;
        NextEvent();
        return target;
    }

    /// <summary>Adds a repo of a tag, as regen-repo would leave it (READY by default).</summary>
    public SimRepo AddRepo(string tag, DateTimeOffset createTime, RepoState state = RepoState.Ready, long? createEvent = null, long? taskId = null)
    {
        var repo = new SimRepo
        {
            Id = Sequence("repo"),
            TagId = (TagByName(tag) ?? throw new InvalidOperationException($"no tag {tag}")).Id,
            State = state,
            CreateEvent = createEvent ?? NextEvent(),
            CreateTime = createTime,
            StateTime = createTime,
            TaskId = taskId,
        };
        Repos[repo.Id] = repo;
        return repo;
    }

    /// <summary>Adds a package to a tag's package list (<c>koji add-pkg --owner owner tag package</c>).</summary>
    public void AddPackage(string tag, string package, string owner, bool blocked = false)
    {
        var tagId = (TagByName(tag) ?? throw new InvalidOperationException($"no tag {tag}")).Id;
        var ownerId = (UserByName(owner) ?? throw new InvalidOperationException($"no user {owner}")).Id;
        var packageId = PackageId(package, create: true)!.Value;
        if (!PackageLists.TryGetValue(tagId, out var list))
        {
            PackageLists[tagId] = list = [];
        }

        list[packageId] = new SimPackageListing(packageId, ownerId, blocked);
        NextEvent();
    }

    public SimTag? TagByName(string name) =>
        Tags.Values.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));

    /// <summary>A tag by id or name, as the hub's <c>name_or_id_clause</c> takes it; null when unknown.</summary>
    public SimTag? FindTag(object? info) => info switch
    {
        int i => Tags.GetValueOrDefault(i),
        long l => Tags.GetValueOrDefault(l),
        string s => TagByName(s),
        XmlRpcStruct d when d.TryGetValue("id", out var id) => FindTag(id),
        XmlRpcStruct d when d.TryGetValue("name", out var name) => FindTag(name),
        _ => throw new HubFault(1019, $"Invalid name or id value: {Python.PythonRepr.Of(info)}"),
    };

    /// <summary>The tag and its ancestors, depth first in priority order (koji <c>readFullInheritance</c>).</summary>
    public IEnumerable<SimTag> Ancestors(SimTag tag)
    {
        var seen = new HashSet<long> { tag.Id };
        var stack = new Stack<long>(tag.Parents.AsEnumerable().Reverse());
        while (stack.Count > 0)
        {
            var id = stack.Pop();
            if (!seen.Add(id) || !Tags.TryGetValue(id, out var parent))
            {
                continue;
            }

            yield return parent;
            foreach (var grand in parent.Parents.AsEnumerable().Reverse())
            {
                stack.Push(grand);
            }
        }
    }

    /// <summary>The package list entry of a package in a tag, inherited through its parents.</summary>
    public SimPackageListing? PackageListing(SimTag tag, long packageId)
    {
        foreach (var t in new[] { tag }.Concat(Ancestors(tag)))
        {
            if (PackageLists.TryGetValue(t.Id, out var list) && list.TryGetValue(packageId, out var entry))
            {
                return entry;
            }
        }

        return null;
    }
}
