namespace KojiComposer.HubBridge.Uploads;

/// <summary>
/// Adler-32 (RFC 1950 §8.2), the digest Koji's rawUpload answers per chunk (<c>fileverify=adler32</c>). The sums
/// are reduced modulo 65521 only every 5552 bytes, the largest run that cannot overflow 32 bits.
/// </summary>
public static class Adler32
{
    private const uint Modulus = 65521;
    private const int MaxRun = 5552;

    /// <summary>The checksum of <paramref name="data"/>, continuing from <paramref name="adler"/> (1 to start).</summary>
    public static uint Update(uint adler, ReadOnlySpan<byte> data)
    {
        uint a = adler & 0xffff;
        uint b = adler >> 16;
        while (data.Length > 0)
        {
            var run = Math.Min(data.Length, MaxRun);
            var block = data[..run];
            var i = 0;
            for (; i + 8 <= block.Length; i += 8)
            {
                a += block[i]; b += a;
                a += block[i + 1]; b += a;
                a += block[i + 2]; b += a;
                a += block[i + 3]; b += a;
                a += block[i + 4]; b += a;
                a += block[i + 5]; b += a;
                a += block[i + 6]; b += a;
                a += block[i + 7]; b += a;
            }

            for (; i < block.Length; i++)
            {
                a += block[i];
                b += a;
            }

            a %= Modulus;
            b %= Modulus;
            data = data[run..];
        }

        return (b << 16) | a;
    }

    /// <summary>The checksum of one buffer.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Update(1, data);

    /// <summary>As the hub writes it: 8 lower-case hex digits, zero-padded (koji-wire.md §8.2).</summary>
    public static string ToHex(uint adler) => adler.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
}
