namespace KojiComposer.HubBridge.XmlRpc;

/// <summary>
/// A decoded XML-RPC <c>&lt;struct&gt;</c>: member names are compared ordinally and, as long as no member is
/// removed, enumerate in the order they were added (that is, document order), which is also the order the writer
/// emits them in. Python dicts keep insertion order too, so a decoded struct re-encodes byte for byte
/// (koji-wire.md §2.1). A repeated member name keeps its first position and its last value, like a Python dict.
/// </summary>
public sealed class XmlRpcStruct : Dictionary<string, object?>
{
    /// <summary>Creates an empty struct.</summary>
    public XmlRpcStruct()
        : base(StringComparer.Ordinal)
    {
    }

    /// <summary>Creates an empty struct sized for <paramref name="capacity"/> members.</summary>
    public XmlRpcStruct(int capacity)
        : base(capacity, StringComparer.Ordinal)
    {
    }

    /// <summary>Creates a struct holding <paramref name="members"/>, in their enumeration order.</summary>
    public XmlRpcStruct(IEnumerable<KeyValuePair<string, object?>> members)
        : base(StringComparer.Ordinal)
    {
        foreach (var (name, value) in members)
        {
            this[name] = value;
        }
    }
}
