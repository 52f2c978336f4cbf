using System.Buffers;
using System.Text;
using KojiComposer.HubBridge.Tests.XmlRpc.Golden;
using KojiComposer.HubBridge.XmlRpc;
using Xunit;

namespace KojiComposer.HubBridge.Tests.XmlRpc;

public sealed class GoldenTranscriptTests
{
    [Fact]
    public void Transcripts_HoldEveryRecordedBody_WhenParsed()
    {
        // 14 sections; the two rawUploads have binary request bodies, so 12 XML requests and 14 responses.
        Assert.Equal(12, GoldenTranscripts.Requests.Count());
        Assert.Equal(14, GoldenTranscripts.Responses.Count());
    }

    [Theory]
    [MemberData(nameof(GoldenTranscripts.RequestCases), MemberType = typeof(GoldenTranscripts))]
    public void Request_ReencodesByteIdentical_WhenDecoded(string section)
    {
        var body = GoldenTranscripts.Request(section);
        Assert.Equal(body.ContentLength, body.Bytes.Length);

        var call = XmlRpcReader.ReadMethodCall(body.Bytes);
        var output = new ArrayBufferWriter<byte>();
        XmlRpcWriter.WriteMethodCall(output, call.MethodName, call.Params);

        Assert.Equal(body.Text, Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Theory]
    [MemberData(nameof(GoldenTranscripts.ResponseCases), MemberType = typeof(GoldenTranscripts))]
    public void Response_ReencodesByteIdentical_WhenDecoded(string section)
    {
        var body = GoldenTranscripts.Response(section);
        if (body.IsTrimmed)
        {
            // The recording cut this reply short ("...[trimmed]" in spec/observed): it must be refused as incomplete,
            // and only at the cut, which shows that everything recorded before it decodes.
            Assert.True(body.Bytes.Length < body.ContentLength);
            var error = Assert.Throws<XmlRpcFormatException>(() => XmlRpcReader.ReadResponse(body.Bytes));
            Assert.StartsWith("XML-RPC reply is not valid: ", error.Message, StringComparison.Ordinal);
            int cut = body.Bytes.AsSpan().IndexOf("...[trimmed]"u8);
            Assert.InRange(error.ByteOffset, cut - 8, body.Bytes.Length);
            return;
        }

        Assert.Equal(body.ContentLength, body.Bytes.Length);
        var response = XmlRpcReader.ReadResponse(body.Bytes);
        var output = new ArrayBufferWriter<byte>();
        if (response.Fault is { } fault)
        {
            XmlRpcWriter.WriteFault(output, fault.Code, fault.Message);
        }
        else
        {
            XmlRpcWriter.WriteMethodResponse(output, response.Value);
        }

        Assert.Equal(body.Text, Encoding.UTF8.GetString(output.WrittenSpan));
    }
}
