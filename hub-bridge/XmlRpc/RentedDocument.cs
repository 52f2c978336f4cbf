using System.Buffers;

namespace KojiComposer.HubBridge.XmlRpc;

/// <summary>
/// A document read from a stream into memory, never more than the size limit plus one byte (the byte that proves
/// the stream goes on). Small documents live in pooled arrays; large ones in plain arrays so the pool does not hold
/// on to hundreds of megabytes after one big reply.
/// </summary>
internal sealed class RentedDocument : IDisposable
{
    private const int InitialSize = 16 * 1024;
    private const int PooledLimit = 1024 * 1024;

    private byte[] _buffer;
    private int _length;

    private RentedDocument(int capacity)
    {
        _buffer = Allocate(capacity);
    }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _length);

    public static RentedDocument Read(Stream stream, int maxBytes, bool isRequest)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var document = new RentedDocument(InitialCapacity(stream, maxBytes));
        try
        {
            while (true)
            {
                var room = document.Room(maxBytes);
                int read = stream.Read(room.Span);
                if (read == 0)
                {
                    return document;
                }

                document.Advance(read, maxBytes, isRequest);
            }
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    public static async ValueTask<RentedDocument> ReadAsync(
        Stream stream, int maxBytes, bool isRequest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var document = new RentedDocument(InitialCapacity(stream, maxBytes));
        try
        {
            while (true)
            {
                var room = document.Room(maxBytes);
                int read = await stream.ReadAsync(room, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return document;
                }

                document.Advance(read, maxBytes, isRequest);
            }
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length is > 0 and <= PooledLimit)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int InitialCapacity(Stream stream, int maxBytes)
    {
        long limit = (long)maxBytes + 1;
        if (stream.CanSeek)
        {
            try
            {
                // One byte more than what is left, so the read that reports the end needs no second buffer.
                return (int)Math.Clamp(stream.Length - stream.Position + 1, 1, limit);
            }
            catch (NotSupportedException)
            {
                // Some streams claim CanSeek but cannot report a length; fall back to growing.
            }
        }

        return (int)Math.Min(InitialSize, limit);
    }

    private static byte[] Allocate(int size) =>
        size <= PooledLimit ? ArrayPool<byte>.Shared.Rent(size) : GC.AllocateUninitializedArray<byte>(size);

    /// <summary>Free space to read into, growing the buffer but never beyond <paramref name="maxBytes"/> + 1.</summary>
    private Memory<byte> Room(int maxBytes)
    {
        long limit = (long)maxBytes + 1;
        if (_length == _buffer.Length)
        {
            int size = (int)Math.Min(Math.Max((long)_buffer.Length * 2, InitialSize), limit);
            var bigger = Allocate(size);
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            var old = _buffer;
            _buffer = bigger;
            if (old.Length <= PooledLimit)
            {
                ArrayPool<byte>.Shared.Return(old);
            }
        }

        int room = (int)Math.Min(_buffer.Length, limit) - _length;
        return _buffer.AsMemory(_length, room);
    }

    private void Advance(int read, int maxBytes, bool isRequest)
    {
        _length += read;
        if (_length > maxBytes)
        {
            throw XmlRpcParser.TooLarge(isRequest, maxBytes);
        }
    }
}
