using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace KojiComposer.Builder.Targets.Azure;

/// <summary>
/// A fixed VHD as the page blob upload takes it (cloud-targets.md §4 step 4): its size (a multiple of 512, as page
/// blobs require), its MD5 (the blob's Content-MD5 and our resume marker) and which pages of at most
/// <see cref="PageSize"/> bytes hold anything but zeros (the others are not sent: a page blob reads as zeros where
/// nothing was written).
/// </summary>
internal sealed record VhdLayout(long Size, byte[] Md5, IReadOnlyList<long> DataPages)
{
    /// <summary>The largest Put Page request the blob service takes: 4 MiB.</summary>
    public const int PageSize = 4 << 20;

    private const int FooterSize = 512;

    /// <summary>Pages in all (data or not).</summary>
    public int Pages => (int)((Size + PageSize - 1) / PageSize);

    /// <summary>The length of the page at <paramref name="offset"/> (the last one may be shorter, still a multiple of 512).</summary>
    public int LengthAt(long offset) => (int)Math.Min(PageSize, Size - offset);

    /// <summary>Checks that <paramref name="path"/> is a fixed VHD a page blob can hold, without reading it all.</summary>
    /// <returns>Its size.</returns>
    /// <exception cref="TargetFailedException">It is not (UploadingImage, 11), saying what it is.</exception>
    public static long CheckFixedVhd(string path, string name)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var size = file.Length;
        if (size < FooterSize || size % FooterSize != 0)
        {
            throw TargetFailedException.Upload(
                $"{name} cannot be an Azure page blob: its size, {size} bytes, is not a multiple of 512 (Azure takes fixed VHD images only; is the image type's export a raw disk?)");
        }

        // The VHD footer (Microsoft's VHD specification): cookie "conectix" at 0, disk type (big-endian) at 60.
        Span<byte> footer = stackalloc byte[FooterSize];
        file.Seek(size - FooterSize, SeekOrigin.Begin);
        file.ReadExactly(footer);
        if (!footer[..8].SequenceEqual("conectix"u8))
        {
            throw TargetFailedException.Upload(
                $"{name} ({size} bytes) is not a VHD: its last 512 bytes hold no VHD footer (cookie \"conectix\"); Azure takes fixed VHD images only");
        }

        var diskType = BinaryPrimitives.ReadUInt32BigEndian(footer[60..]);
        return diskType == 2
            ? size
            : throw TargetFailedException.Upload(
                $"{name} ({size} bytes) is a {(diskType == 3 ? "dynamic" : diskType == 4 ? "differencing" : $"type {diskType}")} VHD; Azure page blobs need a fixed VHD");
    }

    /// <summary>Reads the whole file once: its MD5 and its data pages.</summary>
    public static async Task<VhdLayout> ScanAsync(string path, long size, CancellationToken cancellationToken)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var data = new List<long>();
        var buffer = ArrayPool<byte>.Shared.Rent(PageSize);
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
            for (long offset = 0; offset < size; offset += PageSize)
            {
                var length = (int)Math.Min(PageSize, size - offset);
                await file.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                md5.AppendData(buffer, 0, length);
                if (buffer.AsSpan(0, length).ContainsAnyExcept((byte)0))
                {
                    data.Add(offset);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new VhdLayout(size, md5.GetHashAndReset(), data);
    }
}
