using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.HubBridge.Calls;

/// <summary>koji.TASK_STATES.</summary>
public enum KojiTaskState
{
    Free = 0,
    Open = 1,
    Closed = 2,
    Canceled = 3,
    Assigned = 4,
    Failed = 5,
}

/// <summary>koji.BUILD_STATES.</summary>
public enum KojiBuildState
{
    Building = 0,
    Complete = 1,
    Deleted = 2,
    Failed = 3,
    Canceled = 4,
}

/// <summary>getLoggedInUser.</summary>
public sealed record KojiUser(long Id, string Name, int Status, int UserType, string? KrbPrincipal, IReadOnlyList<string> KrbPrincipals)
{
    public bool IsHost => UserType == 1;

    internal static KojiUser From(object? value)
    {
        const string What = "getLoggedInUser";
        var s = Values.Struct(value, What);
        var principals = Values.Member(s, "krb_principals") is object?[] list
            ? list.OfType<string>().ToArray()
            : [];
        return new KojiUser(
            Values.Long(Values.Required(s, "id", What), What + " id"),
            Values.String(Values.Required(s, "name", What), What + " name"),
            Values.Int(Values.Member(s, "status") ?? 0, What + " status"),
            Values.Int(Values.Member(s, "usertype") ?? 0, What + " usertype"),
            Values.StringOrNull(Values.Member(s, "krb_principal"), What + " krb_principal"),
            principals);
    }
}

/// <summary>A task as getTaskInfo / host.openTask return it (koji-wire.md §9.3).</summary>
public sealed record KojiTaskInfo(
    long Id, KojiTaskState State, string Method, string Arch, long? HostId, long? Parent, long Owner, long ChannelId,
    int Priority, double? Weight, bool Waiting, string? Label, XmlRpcStruct Raw)
{
    /// <summary>The decoded params, when asked for with request=True.</summary>
    public object?[]? Request => Values.Member(Raw, "request") as object?[];

    /// <summary>What host.openTask returns in <c>request</c>: the original methodCall XML.</summary>
    public string? RequestXml => Values.Member(Raw, "request") as string;

    internal static KojiTaskInfo From(object? value, string what)
    {
        var s = Values.Struct(value, what);
        return new KojiTaskInfo(
            Values.Long(Values.Required(s, "id", what), what + " id"),
            (KojiTaskState)Values.Int(Values.Required(s, "state", what), what + " state"),
            Values.String(Values.Required(s, "method", what), what + " method"),
            Values.StringOrNull(Values.Member(s, "arch"), what + " arch") ?? "noarch",
            Values.LongOrNull(Values.Member(s, "host_id"), what + " host_id"),
            Values.LongOrNull(Values.Member(s, "parent"), what + " parent"),
            Values.LongOrNull(Values.Member(s, "owner"), what + " owner") ?? 0,
            Values.LongOrNull(Values.Member(s, "channel_id"), what + " channel_id") ?? 0,
            (int)(Values.LongOrNull(Values.Member(s, "priority"), what + " priority") ?? 20),
            Values.DoubleOrNull(Values.Member(s, "weight"), what + " weight"),
            Values.Member(s, "waiting") is { } w && Values.Bool(w, what + " waiting"),
            Values.StringOrNull(Values.Member(s, "label"), what + " label"),
            s);
    }
}

/// <summary>One task of host.getTasks (ASSIGNED to us).</summary>
public sealed record KojiAssignedTask(long Id, KojiTaskState State, long ChannelId, long? HostId, string Arch, string Method, int Priority, double CreateTs)
{
    internal static KojiAssignedTask From(object? value)
    {
        const string What = "host.getTasks";
        var s = Values.Struct(value, What);
        return new KojiAssignedTask(
            Values.Long(Values.Required(s, "id", What), What + " id"),
            (KojiTaskState)Values.Int(Values.Required(s, "state", What), What + " state"),
            Values.LongOrNull(Values.Member(s, "channel_id"), What + " channel_id") ?? 0,
            Values.LongOrNull(Values.Member(s, "host_id"), What + " host_id"),
            Values.StringOrNull(Values.Member(s, "arch"), What + " arch") ?? "noarch",
            Values.String(Values.Required(s, "method", What), What + " method"),
            (int)(Values.LongOrNull(Values.Member(s, "priority"), What + " priority") ?? 20),
            Values.DoubleOrNull(Values.Member(s, "create_ts"), What + " create_ts") ?? 0);
    }
}

/// <summary>One task of host.getHostTasks (OPEN and ours).</summary>
public sealed record KojiHostTask(long Id, bool Waiting, double Weight, bool Alert)
{
    internal static KojiHostTask From(object? value)
    {
        const string What = "host.getHostTasks";
        var s = Values.Struct(value, What);
        return new KojiHostTask(
            Values.Long(Values.Required(s, "id", What), What + " id"),
            Values.Member(s, "waiting") is { } w && Values.Bool(w, What + " waiting"),
            Values.DoubleOrNull(Values.Member(s, "weight"), What + " weight") ?? 0,
            Values.Member(s, "alert") is { } a && Values.Bool(a, What + " alert"));
    }
}

/// <summary>getBuildTarget.</summary>
public sealed record KojiBuildTarget(long Id, string Name, long BuildTag, string BuildTagName, long DestTag, string DestTagName)
{
    internal static KojiBuildTarget From(object? value)
    {
        const string What = "getBuildTarget";
        var s = Values.Struct(value, What);
        return new KojiBuildTarget(
            Values.Long(Values.Required(s, "id", What), What + " id"),
            Values.String(Values.Required(s, "name", What), What + " name"),
            Values.Long(Values.Required(s, "build_tag", What), What + " build_tag"),
            Values.String(Values.Required(s, "build_tag_name", What), What + " build_tag_name"),
            Values.Long(Values.Required(s, "dest_tag", What), What + " dest_tag"),
            Values.String(Values.Required(s, "dest_tag_name", What), What + " dest_tag_name"));
    }
}

/// <summary>getTag / getBuildConfig.</summary>
public sealed record KojiTagInfo(long Id, string Name, string? Arches, XmlRpcStruct? Extra, bool Locked, XmlRpcStruct Raw)
{
    internal static KojiTagInfo From(object? value, string what)
    {
        var s = Values.Struct(value, what);
        return new KojiTagInfo(
            Values.Long(Values.Required(s, "id", what), what + " id"),
            Values.String(Values.Required(s, "name", what), what + " name"),
            Values.StringOrNull(Values.Member(s, "arches"), what + " arches"),
            Values.Member(s, "extra") as XmlRpcStruct,
            Values.Member(s, "locked") is { } l && Values.Bool(l, what + " locked"),
            s);
    }
}

/// <summary>getRepo (or repo.request's <c>repo</c>).</summary>
public sealed record KojiRepoInfo(long Id, int State, long TagId, string? TagName, long CreateEvent, double? CreateTs, XmlRpcStruct Raw)
{
    internal static KojiRepoInfo From(object? value, string what)
    {
        var s = Values.Struct(value, what);
        return new KojiRepoInfo(
            Values.Long(Values.Required(s, "id", what), what + " id"),
            Values.Int(Values.Member(s, "state") ?? 1, what + " state"),
            Values.LongOrNull(Values.Member(s, "tag_id"), what + " tag_id") ?? 0,
            Values.StringOrNull(Values.Member(s, "tag_name"), what + " tag_name"),
            Values.LongOrNull(Values.Member(s, "create_event"), what + " create_event") ?? 0,
            Values.DoubleOrNull(Values.Member(s, "create_ts"), what + " create_ts"),
            s);
    }
}

/// <summary>getBuild / CGImport's reply.</summary>
public sealed record KojiBuildInfo(
    long Id, string Name, string Version, string Release, string Nvr, KojiBuildState State, long? TaskId, long? OwnerId,
    string? OwnerName, string? CgName, XmlRpcStruct Raw)
{
    internal static KojiBuildInfo From(object? value, string what)
    {
        var s = Values.Struct(value, what);
        var name = Values.String(Values.Required(s, "name", what), what + " name");
        var version = Values.String(Values.Required(s, "version", what), what + " version");
        var release = Values.String(Values.Required(s, "release", what), what + " release");
        return new KojiBuildInfo(
            Values.Long(Values.Member(s, "id") ?? Values.Required(s, "build_id", what), what + " id"),
            name, version, release,
            Values.StringOrNull(Values.Member(s, "nvr"), what + " nvr") ?? $"{name}-{version}-{release}",
            (KojiBuildState)Values.Int(Values.Required(s, "state", what), what + " state"),
            Values.LongOrNull(Values.Member(s, "task_id"), what + " task_id"),
            Values.LongOrNull(Values.Member(s, "owner_id"), what + " owner_id"),
            Values.StringOrNull(Values.Member(s, "owner_name"), what + " owner_name"),
            Values.StringOrNull(Values.Member(s, "cg_name"), what + " cg_name"),
            s);
    }
}

/// <summary>listArchives.</summary>
public sealed record KojiArchiveInfo(long Id, long BuildId, string Filename, long Size, string Checksum, int ChecksumType, string TypeName, string? Btype, XmlRpcStruct? Extra)
{
    internal static KojiArchiveInfo From(object? value)
    {
        const string What = "listArchives";
        var s = Values.Struct(value, What);
        return new KojiArchiveInfo(
            Values.Long(Values.Required(s, "id", What), What + " id"),
            Values.Long(Values.Required(s, "build_id", What), What + " build_id"),
            Values.String(Values.Required(s, "filename", What), What + " filename"),
            Values.Long(Values.Required(s, "size", What), What + " size"),
            Values.String(Values.Required(s, "checksum", What), What + " checksum"),
            Values.Int(Values.Member(s, "checksum_type") ?? 0, What + " checksum_type"),
            Values.String(Values.Required(s, "type_name", What), What + " type_name"),
            Values.StringOrNull(Values.Member(s, "btype"), What + " btype"),
            Values.Member(s, "extra") as XmlRpcStruct);
    }
}

/// <summary>A CG reservation (CGInitBuild). The token is a secret: never shown by <see cref="ToString"/>.</summary>
public sealed record KojiReservation(long BuildId, string Token)
{
    public override string ToString() => $"reservation of build {BuildId}";
}

/// <summary>checkUpload.</summary>
public sealed record KojiUploadCheck(long Size, double MTime, string? HexDigest);
