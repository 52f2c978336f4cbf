using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.HubBridge.Calls;

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
