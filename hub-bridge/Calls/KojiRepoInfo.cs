using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.HubBridge.Calls;

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
