using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.HubBridge.Calls;

/// <summary>getHost: a builder host as the hub lists it (koji <c>getHost</c>; the CLI's task watcher shows its
/// <c>name</c> next to an open task).</summary>
public sealed record KojiHostInfo(long Id, string Name, XmlRpcStruct Raw)
{
    internal static KojiHostInfo From(object? value, string what)
    {
        var s = Values.Struct(value, what);
        return new KojiHostInfo(
            Values.Long(Values.Required(s, "id", what), what + " id"),
            Values.String(Values.Required(s, "name", what), what + " name"),
            s);
    }
}
