using SharpCompress.Compressors.Xz;

namespace KojiComposer.Builder.Targets;

/// <summary>
/// The artifact as a target takes it. EC2 and Azure want the raw disk, and RHUI images are stored xz-compressed in
/// Koji (cloud-targets.md §1): <see cref="OpenRaw"/> decompresses on the fly, <see cref="RawFileAsync"/> into a file
/// when the target needs a size up front (an Azure page blob).
/// </summary>
public static class TargetArtifact
{
    private static ReadOnlySpan<byte> XzMagic => [0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00];

    /// <summary>True when <paramref name="path"/> is xz-compressed (by its magic bytes, whatever its name).</summary>
    public static bool IsXz(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> head = stackalloc byte[6];
        return file.ReadAtLeast(head, 6, throwOnEndOfStream: false) == 6 && head.SequenceEqual(XzMagic);
    }

    /// <summary>The raw bytes of the artifact: the file itself, or its xz decompression as a forward-only stream
    /// (length unknown).</summary>
    public static Stream OpenRaw(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        if (!IsXz(path))
        {
            return file;
        }

        return new XZStream(file);
    }

    /// <summary>The artifact as a raw file: itself when not compressed, else decompressed into
    /// <paramref name="directory"/> (as <c>&lt;name without .xz&gt;</c>).</summary>
    /// <exception cref="TargetFailedException">The xz data is corrupt or truncated, or the disk is full (UploadingImage, 11).</exception>
    public static async Task<string> RawFileAsync(string path, string directory, CancellationToken cancellationToken)
    {
        if (!IsXz(path))
        {
            return path;
        }

        var name = Path.GetFileName(path);
        var target = Path.Combine(directory, name.EndsWith(".xz", StringComparison.Ordinal) ? name[..^3] : name + ".raw");
        try
        {
            await using var source = OpenRaw(path);
            await using var output = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous);
            await source.CopyToAsync(output, 1 << 20, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // SharpCompress reports corrupt or truncated xz data with its own exception types (DataErrorException,
            // ...), not InvalidDataException: any failure here is the image's, never an escaped crash.
            File.Delete(target);
            throw TargetFailedException.Upload($"cannot decompress {name}: {e.Message}", inner: e);
        }

        return target;
    }
}
