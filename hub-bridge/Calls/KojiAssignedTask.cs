namespace KojiComposer.HubBridge.Calls;

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
