using System.Buffers;
using System.Text;

namespace KojiComposer.HubBridge.XmlRpc;

/// <summary>Accumulates decoded text in a pooled array (the parser's slow path for escaped strings).</summary>
internal struct PooledByteBuilder : IDisposable
{
    private byte[] _buffer;
    private int _length;

    public PooledByteBuilder(int capacity)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(capacity);
        _length = 0;
    }

    public readonly int Length => _length;

    public void Append(byte value)
    {
        if (_length == _buffer.Length)
        {
            Grow(1);
        }

        _buffer[_length++] = value;
    }

    public void Append(scoped ReadOnlySpan<byte> data)
    {
        if (data.Length > _buffer.Length - _length)
        {
            Grow(data.Length);
        }

        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
    }

    public readonly string ToUtf8String() => Encoding.UTF8.GetString(_buffer, 0, _length);

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = [];
        _length = 0;
    }

    private void Grow(int extra)
    {
        var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Array.MaxLength, Math.Max((long)_buffer.Length * 2, (long)_length + extra)));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
