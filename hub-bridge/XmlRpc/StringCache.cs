using System.Runtime.CompilerServices;
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
    /// <summary>The longest text any cache instance keeps.</summary>
    public const int MaxCachedBytes = 64;

    /// <summary>FNV-1a offset basis; callers that hash while scanning start from here.</summary>
    public const uint HashSeed = 2166136261;

    private const int Size = 1024;

    private readonly string?[] _values = new string[Size];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Hash(uint hash, byte b) => (hash ^ b) * 16777619;

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > maxBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        uint hash = HashSeed;
        int high = 0;
        foreach (byte b in utf8)
        {
            hash = Hash(hash, b);
            high |= b;
        }

        return Get(utf8, hash, high < 0x80);
    }

    /// <summary>Looks up text whose FNV-1a <paramref name="hash"/> the caller already computed.</summary>
    public string Get(ReadOnlySpan<byte> utf8, uint hash, bool isAscii)
    {
        // Non-ASCII text is rare in Koji replies and cannot be compared with Ascii.Equals: not cached.
        if (!isAscii || utf8.Length > maxBytes)
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
