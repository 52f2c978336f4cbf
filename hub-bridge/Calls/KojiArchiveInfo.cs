using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.HubBridge.Calls;

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
