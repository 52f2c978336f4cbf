using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.HubBridge.Calls;

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
