namespace KojiComposer.HubBridge.Calls;

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
