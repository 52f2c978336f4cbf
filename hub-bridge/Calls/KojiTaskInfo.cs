using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.HubBridge.Calls;

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
