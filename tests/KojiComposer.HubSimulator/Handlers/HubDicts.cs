using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubSimulator.Handlers;

/// <summary>
/// The hub's reply dicts for tasks, builds, hosts, tags, repos and archives. Query results come back with their
/// columns in name order (as observed for host.getTasks, host.openTask, CGImport); members the hub adds to a row
/// afterwards (<c>extra</c> of a tag, <c>request</c> of getTaskInfo) come last.
/// </summary>
internal static class HubDicts
{
    public static XmlRpcStruct Sorted(params (string Key, object? Value)[] members) =>
        new(members.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => new KeyValuePair<string, object?>(m.Key, m.Value)));

    private static string? Time(DateTimeOffset? t) => SessionHandlers.Time(t);

    private static double? Ts(DateTimeOffset? t) => SessionHandlers.Ts(t);

    /// <summary>koji <c>Task.fields</c> (§9.3), plus <c>request</c> where the hub selects it as a column.</summary>
    public static XmlRpcStruct Task(SimTask t, string? requestXml = null)
    {
        var members = new List<(string, object?)>
        {
            ("id", t.Id), ("state", (int)t.State), ("create_time", Time(t.CreateTime)), ("create_ts", Ts(t.CreateTime)),
            ("start_time", Time(t.StartTime)), ("start_ts", Ts(t.StartTime)),
            ("completion_time", Time(t.CompletionTime)), ("completion_ts", Ts(t.CompletionTime)),
            ("channel_id", t.ChannelId), ("host_id", t.HostId), ("parent", t.Parent), ("label", t.Label),
            ("waiting", t.Waiting),
            ("awaited", t.Awaited), ("owner", t.Owner), ("method", t.Method), ("arch", t.Arch), ("priority", t.Priority),
            ("weight", t.Weight),
        };
        if (requestXml is not null)
        {
            members.Add(("request", requestXml));
        }

        return Sorted([.. members]);
    }

    /// <summary>get_build (§10).</summary>
    public static XmlRpcStruct Build(HubState state, SimBuild b)
    {
        var owner = state.Users.GetValueOrDefault(b.OwnerId);
        var cg = b.CgId is { } cgId ? state.ContentGeneratorIds.FirstOrDefault(p => p.Value == cgId).Key : null;
        return Sorted(
            ("id", b.Id), ("build_id", b.Id), ("name", b.Name), ("version", b.Version), ("release", b.Release),
            ("epoch", b.Epoch), ("nvr", b.Nvr), ("state", (int)b.State), ("owner_id", b.OwnerId), ("owner_name", owner?.Name),
            ("task_id", b.TaskId), ("cg_id", b.CgId), ("cg_name", cg), ("volume_id", b.VolumeId), ("volume_name", "DEFAULT"),
            ("source", b.Source), ("extra", b.Extra), ("draft", b.Draft), ("package_id", b.PackageId), ("package_name", b.Name),
            ("creation_event_id", b.CreateEvent), ("creation_time", Time(b.CreationTime)), ("creation_ts", Ts(b.CreationTime)),
            ("start_time", Time(b.StartTime)), ("start_ts", Ts(b.StartTime)),
            ("completion_time", Time(b.CompletionTime)), ("completion_ts", Ts(b.CompletionTime)),
            ("promoter_id", null), ("promoter_name", null), ("promotion_time", null), ("promotion_ts", null));
    }

    /// <summary>get_host (§9.2).</summary>
    public static XmlRpcStruct Host(SimHost h) => Sorted(
        ("id", h.Id), ("user_id", h.UserId), ("name", h.Name), ("update_ts", Ts(h.UpdateTime)), ("ready", h.Ready),
        ("task_load", h.TaskLoad), ("arches", string.Join(' ', h.Arches)), ("capacity", h.Capacity),
        ("description", null), ("comment", null), ("enabled", h.Enabled));

    /// <summary>get_tag (§10): the row, then <c>extra</c>.</summary>
    public static XmlRpcStruct Tag(SimTag t)
    {
        var s = Sorted(
            ("id", t.Id), ("name", t.Name), ("perm_id", t.Perm is null ? null : 1), ("perm", t.Perm), ("arches", t.Arches),
            ("locked", t.Locked), ("maven_support", false), ("maven_include_all", false));
        s["extra"] = new XmlRpcStruct(t.Extra);
        return s;
    }

    public static XmlRpcStruct Target(HubState state, SimTarget t) => Sorted(
        ("id", t.Id), ("name", t.Name), ("build_tag", t.BuildTagId), ("build_tag_name", state.Tags[t.BuildTagId].Name),
        ("dest_tag", t.DestTagId), ("dest_tag_name", state.Tags[t.DestTagId].Name));

    /// <summary>A repo row (§10, observed keys).</summary>
    public static XmlRpcStruct Repo(HubState state, SimRepo r)
    {
        var task = r.TaskId is { } id ? state.Tasks.GetValueOrDefault(id) : null;
        return Sorted(
            ("id", r.Id), ("state", (int)r.State), ("tag_id", r.TagId), ("tag_name", state.Tags[r.TagId].Name),
            ("create_event", r.CreateEvent), ("create_ts", Ts(r.CreateTime)), ("creation_time", Time(r.CreateTime)),
            ("creation_ts", Ts(r.CreateTime)), ("begin_event", null), ("begin_ts", null), ("end_event", null), ("end_ts", null),
            ("dist", false),
            ("opts", new XmlRpcStruct { ["src"] = false, ["debuginfo"] = false, ["separate_src"] = false, ["maven"] = false }),
            ("custom_opts", new XmlRpcStruct()), ("state_time", Time(r.StateTime)), ("state_ts", Ts(r.StateTime)),
            ("task_id", r.TaskId), ("task_state", task is null ? null : (int)task.State));
    }

    /// <summary>list_archives (§10, cg-import.md §6.3).</summary>
    public static XmlRpcStruct Archive(SimArchive a) => Sorted(
        ("id", a.Id), ("type_id", a.Type.Id), ("btype_id", a.BtypeId), ("btype", a.Btype), ("build_id", a.BuildId),
        ("buildroot_id", a.BuildrootId), ("filename", a.Filename), ("size", a.Size), ("checksum", a.Checksum),
        ("checksum_type", a.ChecksumType), ("metadata_only", a.MetadataOnly), ("extra", a.Extra),
        ("type_name", a.Type.Name), ("type_description", a.Type.Description), ("type_extensions", a.Type.Extensions),
        ("compression_type", a.Type.CompressionType));

    public static XmlRpcStruct ArchiveType(ArchiveType t) => Sorted(
        ("id", t.Id), ("name", t.Name), ("description", t.Description), ("extensions", t.Extensions),
        ("compression_type", t.CompressionType));
}
