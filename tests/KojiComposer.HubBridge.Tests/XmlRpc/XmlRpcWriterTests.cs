using System.Text;
using KojiComposer.HubBridge.XmlRpc;
using Xunit;
using static KojiComposer.HubBridge.Tests.XmlRpc.XmlRpcTestDocuments;

namespace KojiComposer.HubBridge.Tests.XmlRpc;

public sealed class XmlRpcWriterTests
{
    [Fact]
    public void WriteMethodCall_EmitsEmptyParamsBlock_WhenThereAreNoParams()
    {
        Assert.Equal(
            "<?xml version='1.0'?>\n<methodCall>\n<methodName>host.getTasks</methodName>\n<params>\n</params>\n</methodCall>\n",
            EncodeCall("host.getTasks"));
    }

    [Fact]
    public void WriteFault_EmitsPythonLayout_WhenCodeAndMessageAreGiven()
    {
        Assert.Equal(
            "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n" +
            "<value><int>1000</int></value>\n</member>\n<member>\n<name>faultString</name>\n" +
            "<value><string>No such build target: x &amp; y</string></value>\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n",
            XmlRpcWriter.FaultDocument(1000, "No such build target: x & y"));
    }

    [Fact]
    public void Write_NamesTypeAndPath_WhenValueIsUnsupported()
    {
        var opts = new XmlRpcStruct { ["foo"] = Guid.Empty };

        var error = Assert.Throws<ArgumentException>(() => EncodeCall("osbuildImage", "a", "b", new XmlRpcStruct { ["opts"] = opts }));

        Assert.Equal("Cannot marshal a value of type System.Guid to XML-RPC (at params[2].opts.foo).", error.Message);
    }

    [Fact]
    public void Write_NamesArrayIndex_WhenUnsupportedValueIsInArray()
    {
        var error = Assert.Throws<ArgumentException>(() => Encode(new object?[] { 1, new object?[] { 2, new object() } }));

        Assert.Equal("Cannot marshal a value of type System.Object to XML-RPC (at result[1][1]).", error.Message);
    }

    [Fact]
    public void Write_Throws_WhenUlongExceedsInt64()
    {
        var error = Assert.Throws<ArgumentException>(() => EncodeCall("x", ulong.MaxValue));

        Assert.Contains("18446744073709551615", error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be marshalled", error.Message, StringComparison.Ordinal);
        Assert.Contains("(at params[0])", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bell\u0007", "U+0007")]
    [InlineData("nul\0", "U+0000")]
    [InlineData("\uFFFE", "U+FFFE")]
    public void Write_Throws_WhenStringHoldsCharacterXmlCannotCarry(string text, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => Encode(new XmlRpcStruct { ["log"] = text }));

        Assert.Equal($"The string holds {named}, which XML 1.0 cannot carry (at result.log).", error.Message);
    }

    [Fact]
    public void Write_Throws_WhenStringHoldsLoneSurrogate()
    {
        var error = Assert.Throws<ArgumentException>(() => Encode("bad \uD800 surrogate"));

        Assert.Contains("lone surrogate U+D800", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Throws_WhenStructNameIsNotAString()
    {
        var error = Assert.Throws<ArgumentException>(() => Encode(new Dictionary<int, string> { [1] = "a" }));

        Assert.Equal("Struct member names must be strings, not System.Int32 (at result).", error.Message);
    }

    [Fact]
    public void Write_Throws_WhenValuesFormACycle()
    {
        var list = new List<object?>();
        list.Add(list);

        var error = Assert.Throws<ArgumentException>(() => Encode(list));

        Assert.StartsWith("Values nest deeper than 64 structs/arrays (a reference cycle?)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteStream_WritesNothing_WhenValueCannotBeMarshalled()
    {
        using var stream = new MemoryStream();

        Assert.Throws<ArgumentException>(() => XmlRpcWriter.WriteMethodResponse(stream, new object?[] { "ok", new object() }));
        Assert.Equal(0, stream.Length);
    }

    [Fact]
    public async Task WriteStreams_MatchBufferWriter_WhenAllOverloadsAreUsed()
    {
        var value = new XmlRpcStruct { ["a"] = new object?[] { 1, "two", 3.0, null } };
        using var sync = new MemoryStream();
        using var async = new MemoryStream();
        using var call = new MemoryStream();
        using var fault = new MemoryStream();

        XmlRpcWriter.WriteMethodResponse(sync, value);
        await XmlRpcWriter.WriteMethodResponseAsync(async, value);
        await XmlRpcWriter.WriteMethodCallAsync(call, "m", [value]);
        await XmlRpcWriter.WriteFaultAsync(fault, 1002, "no");

        Assert.Equal(Encode(value), Encoding.UTF8.GetString(sync.ToArray()));
        Assert.Equal(Encode(value), Encoding.UTF8.GetString(async.ToArray()));
        Assert.Equal(EncodeCall("m", value), Encoding.UTF8.GetString(call.ToArray()));
        Assert.Equal(XmlRpcWriter.FaultDocument(1002, "no"), Encoding.UTF8.GetString(fault.ToArray()));
        Assert.Equal(Encoding.UTF8.GetBytes(EncodeCall("m", value)), XmlRpcWriter.MethodCallBytes("m", [value]));
    }

    [Fact]
    public void Write_ConvertsToUtc_WhenDateTimeIsLocal()
    {
        var utc = new DateTime(2026, 11, 26, 1, 12, 55, DateTimeKind.Utc);

        Assert.Equal(EncodeValue(utc), EncodeValue(utc.ToLocalTime()));
        Assert.Equal(EncodeValue(utc), EncodeValue(new DateTimeOffset(utc)));
    }

    [Fact]
    public void Write_MatchesPooledOutput_WhenBufferWriterHandsOutMinimalSpans()
    {
        var value = new XmlRpcStruct
        {
            ["big"] = string.Concat(Enumerable.Repeat("é€𝄞<&>x", 30_000)),
            ["bytes"] = new byte[100_000],
            ["many"] = Enumerable.Range(0, 5_000).Select(i => (object?)(i * 1.5)).ToArray(),
        };
        var stingy = new StingyBufferWriter();

        XmlRpcWriter.WriteMethodResponse(stingy, value);

        Assert.Equal(Encode(value), Encoding.UTF8.GetString(stingy.Written.ToArray()));
    }

    [Fact]
    public async Task Codec_GivesSameResults_WhenUsedFromManyThreads()
    {
        var bodies = Golden.GoldenTranscripts.Responses.Where(b => !b.IsTrimmed).ToArray();
        string[] expected = bodies.Select(b => b.Text).ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() =>
        {
            var body = bodies[i % bodies.Length];
            var response = XmlRpcReader.ReadResponse(body.Bytes);
            return response.Fault is { } fault ? XmlRpcWriter.FaultDocument(fault.Code, fault.Message) : Encode(response.Value);
        })));

        for (int i = 0; i < results.Length; i++)
        {
            Assert.Equal(expected[i % bodies.Length], results[i]);
        }
    }

    /// <summary>An IBufferWriter that never gives more room than asked for.</summary>
    private sealed class StingyBufferWriter : System.Buffers.IBufferWriter<byte>
    {
        private byte[] _pending = [];

        public List<byte> Written { get; } = [];

        public void Advance(int count) => Written.AddRange(_pending.AsSpan(0, count).ToArray());

        public Memory<byte> GetMemory(int sizeHint = 0) => _pending = new byte[Math.Max(sizeHint, 1)];

        public Span<byte> GetSpan(int sizeHint = 0) => _pending = new byte[Math.Max(sizeHint, 1)];
    }
}
