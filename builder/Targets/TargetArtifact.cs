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
    /// (length unknown). Concatenated xz streams (with their null padding) decompress one after the other, as
    /// <c>xz -d</c> does; anything else after a stream, like a truncated stream, fails the read.</summary>
    public static Stream OpenRaw(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        if (!IsXz(path))
        {
            return file;
        }

        return new XzStreams(file);
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

    /// <summary>The xz streams of a file one after the other (SharpCompress' XZStream ends after the first).</summary>
    private sealed class XzStreams(FileStream file) : Stream
    {
        private XZStream? _current = new(file);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (_current is not null)
            {
                var read = _current.Read(buffer);
                if (read > 0 || buffer.IsEmpty)
                {
                    return read;
                }

                _current = Next();
            }

            return 0;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (_current is not null)
            {
                var read = await _current.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (read > 0 || buffer.IsEmpty)
                {
                    return read;
                }

                _current = Next();
            }

            return 0;
        }

        /// <summary>After a stream's footer: stream padding (null bytes, a multiple of 4), then the end of the file
        /// or the next stream.</summary>
        private XZStream? Next()
        {
            var start = file.Position;
            long zeros = 0;
            int next;
            while ((next = file.ReadByte()) == 0)
            {
                zeros++;
            }

            if (next < 0)
            {
                return zeros % 4 == 0 ? null : throw new InvalidDataException("the xz stream padding is not a multiple of 4 bytes");
            }

            file.Position = start + zeros;
            Span<byte> head = stackalloc byte[6];
            if (file.ReadAtLeast(head, 6, throwOnEndOfStream: false) != 6 || !head.SequenceEqual(XzMagic))
            {
                throw new InvalidDataException($"unexpected data after the xz stream at byte {start + zeros}");
            }

            file.Position = start + zeros;
            return new XZStream(file);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _current?.Dispose();
                file.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
