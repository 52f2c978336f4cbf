using System.Text;

namespace KojiComposer.HubBridge.Tests.XmlRpc;

/// <summary>
/// A read-only stream that produces <paramref name="prefix"/>, then <paramref name="fillLength"/> copies of
/// <paramref name="fill"/>, then <paramref name="suffix"/>, without ever holding more than one read's worth: it
/// stands in for a hostile peer sending a gigabyte-sized document. Counts what was read from it.
/// </summary>
internal sealed class GeneratorStream(string prefix, byte fill, long fillLength, string suffix) : Stream
{
    private readonly byte[] _prefix = Encoding.UTF8.GetBytes(prefix);
    private readonly byte[] _suffix = Encoding.UTF8.GetBytes(suffix);
    private long _position;

    public long BytesRead => _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        long total = _prefix.Length + fillLength + _suffix.Length;
        int written = 0;
        while (written < buffer.Length && _position < total)
        {
            long p = _position;
            if (p < _prefix.Length)
            {
                buffer[written++] = _prefix[p];
                _position++;
            }
            else if (p < _prefix.Length + fillLength)
            {
                int run = (int)Math.Min(buffer.Length - written, _prefix.Length + fillLength - p);
                buffer.Slice(written, run).Fill(fill);
                written += run;
                _position += run;
            }
            else
            {
                buffer[written++] = _suffix[p - _prefix.Length - fillLength];
                _position++;
            }
        }

        return written;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
