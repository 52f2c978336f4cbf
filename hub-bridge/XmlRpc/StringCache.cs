using System.Text;

namespace KojiComposer.HubBridge.XmlRpc;

/// <summary>
/// Reuses the strings of short ASCII texts that recur: a listArchives reply repeats the same member names and
/// values like "image", "x86_64" or "noarch" ten thousand times, and allocating each again (and collecting the
/// garbage) is a large part of decoding cost. A small direct-mapped table; a collision replaces the entry. It
/// stores only the string and compares it with the UTF-8 bytes directly, so a miss costs no extra allocation.
/// </summary>
internal sealed class StringCache(int maxBytes)
{
    private const int Size = 1024;

    private readonly string?[] _values = new string[Size];

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > maxBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        // FNV-1a; every byte is looked at anyway, and non-ASCII text (which Ascii.Equals cannot compare) is
        // noticed on the way.
        uint hash = 2166136261;
        int high = 0;
        foreach (byte b in utf8)
        {
            hash = (hash ^ b) * 16777619;
            high |= b;
        }

        if (high >= 0x80)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        ref string? slot = ref _values[hash & (Size - 1)];
        if (slot is not null && Ascii.Equals(utf8, slot))
        {
            return slot;
        }

        return slot = Encoding.ASCII.GetString(utf8);
    }
}
