using System.Text;
using KojiComposer.Builder.Osbuild;

namespace KojiComposer.Builder.Tests.Osbuild;

public sealed class OsbuildPipesTests
{
    [Fact]
    public async Task ReadAllAsync_KeepsOnlyTheStart_WhenTheResultOutgrowsTheLimit()
    {
        // Reads of 10, 10 and 3 bytes with room for 15: the second does not fit, and neither may the third, or the
        // end of the output would be spliced onto its start.
        using var stdout = new ChunkedStream(["{\"a\": 1, ", "\"b\": 2, \"c", "3}\n"]);

        var text = await OsbuildPipes.ReadAllAsync(stdout, maxBytes: 15);

        Assert.Equal("{\"a\": 1, ", text);
        Assert.Equal(3, stdout.Reads);
    }

    /// <summary>A pipe that hands out one chunk per read.</summary>
    private sealed class ChunkedStream(string[] chunks) : Stream
    {
        public int Reads { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Reads >= chunks.Length)
            {
                return 0;
            }

            var bytes = Encoding.UTF8.GetBytes(chunks[Reads++]);
            bytes.CopyTo(buffer, offset);
            return bytes.Length;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
