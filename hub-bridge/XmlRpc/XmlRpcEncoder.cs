using System.Buffers;

namespace KojiComposer.HubBridge.XmlRpc;

/// <summary>
/// Writes XML-RPC as UTF-8 straight into the span of an <see cref="IBufferWriter{T}"/>, byte for byte the way
/// Python's <c>xmlrpc.client.dumps</c> with koji's <c>ExtendedMarshaller</c> does (koji <c>koji/xmlrpcplus.py</c>),
/// because the golden transcripts (spec/observed/koji-hub-transcripts.txt) are what the hub and its tools expect.
/// Split by facet: this file holds the output buffer, the Values/Strings/Numbers files the marshalling.
/// </summary>
internal ref partial struct XmlRpcEncoder
{
    // Large enough that GetSpan is called rarely; the pooled writers hand out at least this much.
    private const int MinimumChunk = 16 * 1024;

    private readonly IBufferWriter<byte> _writer;
    private Span<byte> _span;
    private int _pos;

    // Where the value being written sits, for error messages: _root then _path[0.._depth).
    private PathSegment[] _path;
    private int _depth;
    private int _nesting;
    private string _root;

    public XmlRpcEncoder(IBufferWriter<byte> writer)
    {
        _writer = writer;
        _span = default;
        _pos = 0;
        _path = new PathSegment[16];
        _depth = 0;
        _nesting = 0;
        _root = string.Empty;
    }

    /// <summary>Hands every byte written so far to the underlying writer.</summary>
    public void Flush()
    {
        if (_pos > 0)
        {
            _writer.Advance(_pos);
        }

        _span = default;
        _pos = 0;
    }

    public void WriteRaw(scoped ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _span.Length - _pos)
        {
            Grow(bytes.Length);
        }

        bytes.CopyTo(_span[_pos..]);
        _pos += bytes.Length;
    }

    private void WriteByte(byte value)
    {
        if (_pos >= _span.Length)
        {
            Grow(1);
        }

        _span[_pos++] = value;
    }

    /// <summary>Returns room for at least <paramref name="size"/> bytes at the current position.</summary>
    private Span<byte> Reserve(int size)
    {
        if (size > _span.Length - _pos)
        {
            Grow(size);
        }

        return _span[_pos..];
    }

    private void Grow(int size)
    {
        Flush();
        _span = _writer.GetSpan(Math.Max(size, MinimumChunk));
    }
}
