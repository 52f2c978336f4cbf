using System.Text;

namespace KojiComposer.HubBridge.XmlRpc;

/// <summary>
/// Reuses the strings of struct member names: a listArchives reply repeats the same fifteen names ten thousand
/// times, and allocating each again is a large part of decoding cost. A small direct-mapped table keyed by the
/// UTF-8 bytes; a collision just replaces the entry.
/// </summary>
internal sealed class NameCache
{
    private const int Size = 512;
    private const int MaxNameBytes = 64;

    private readonly byte[]?[] _keys = new byte[Size][];
    private readonly string?[] _values = new string[Size];

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxNameBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        // FNV-1a: names are short, so a byte loop is cheap and spreads them well.
        uint hash = 2166136261;
        foreach (byte b in utf8)
        {
            hash = (hash ^ b) * 16777619;
        }

        int slot = (int)(hash & (Size - 1));
        var key = _keys[slot];
        if (key is not null && utf8.SequenceEqual(key))
        {
            return _values[slot]!;
        }

        string value = Encoding.UTF8.GetString(utf8);
        _keys[slot] = utf8.ToArray();
        _values[slot] = value;
        return value;
    }
}
