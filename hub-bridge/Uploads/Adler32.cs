using System.Runtime.Intrinsics;

namespace KojiComposer.HubBridge.Uploads;

/// <summary>
/// Adler-32 (RFC 1950 §8.2), the digest Koji's rawUpload answers per chunk (<c>fileverify=adler32</c>). Every upload
/// byte passes through it on both ends, so blocks of 16 bytes go through SIMD lanes: for a block b[0..15],
/// s1 += Σb and s2 += 16·s1 + Σ(16−i)·b[i]. Sums are reduced modulo 65521 every 5552 bytes, the longest run whose
/// sums cannot overflow 32 bits (zlib's NMAX).
/// </summary>
public static class Adler32
{
    private const uint Modulus = 65521;
    private const int MaxRun = 5552; // a multiple of 16

    /// <summary>The checksum of <paramref name="data"/>, continuing from <paramref name="adler"/> (1 to start).</summary>
    public static uint Update(uint adler, ReadOnlySpan<byte> data)
    {
        uint a = adler & 0xffff;
        uint b = adler >> 16;
        while (data.Length > 0)
        {
            var run = Math.Min(data.Length, MaxRun);
            var blocks = Vector128.IsHardwareAccelerated ? run / 16 : 0;
            if (blocks > 0)
            {
                (a, b) = Blocks(a, b, data[..(blocks * 16)]);
            }

            foreach (var value in data[(blocks * 16)..run])
            {
                a += value;
                b += a;
            }

            a %= Modulus;
            b %= Modulus;
            data = data[run..];
        }

        return (b << 16) | a;
    }

    private static (uint A, uint B) Blocks(uint a, uint b, ReadOnlySpan<byte> data)
    {
        var weightsLow = Vector128.Create((ushort)16, 15, 14, 13, 12, 11, 10, 9);
        var weightsHigh = Vector128.Create((ushort)8, 7, 6, 5, 4, 3, 2, 1);
        var sums = Vector128<uint>.Zero;     // Σ bytes so far in this run, spread over 4 lanes
        var prefixes = Vector128<uint>.Zero; // Σ over blocks of the byte sum before each block
        var weighted = Vector128<uint>.Zero; // Σ over blocks of Σ (16 - i)·b[i]
        for (var offset = 0; offset < data.Length; offset += 16)
        {
            prefixes += sums;
            var (low, high) = Vector128.Widen(Vector128.Create(data.Slice(offset, 16)));
            var (s0, s1) = Vector128.Widen(low + high);                          // ≤ 510 per lane
            sums += s0 + s1;
            var (w0, w1) = Vector128.Widen((low * weightsLow) + (high * weightsHigh)); // ≤ 8160 per lane
            weighted += w0 + w1;
        }

        var count = (ulong)(data.Length / 16);
        var newB = b + (16UL * count * a) + (16UL * Vector128.Sum(prefixes)) + Vector128.Sum(weighted);
        var newA = a + (ulong)Vector128.Sum(sums);
        return ((uint)(newA % Modulus), (uint)(newB % Modulus));
    }

    /// <summary>The checksum of one buffer.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Update(1, data);

    /// <summary>As the hub writes it: 8 lower-case hex digits, zero-padded (koji-wire.md §8.2).</summary>
    public static string ToHex(uint adler) => adler.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
}
