namespace KojiComposer.HubBridge.Calls;

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
