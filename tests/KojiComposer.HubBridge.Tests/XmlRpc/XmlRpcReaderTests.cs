using System.Text;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Tests.XmlRpc.Golden;
using KojiComposer.HubBridge.XmlRpc;
using Xunit;
using static KojiComposer.HubBridge.Tests.XmlRpc.XmlRpcTestDocuments;

namespace KojiComposer.HubBridge.Tests.XmlRpc;

public sealed class XmlRpcReaderTests
{
    [Theory]
    [InlineData("<methodCall><methodName>sslLogin</methodName></methodCall>")]
    [InlineData("<?xml version='1.0'?>\n<methodCall>\n<methodName>sslLogin</methodName>\n<params>\n</params>\n</methodCall>\n")]
    [InlineData("<methodCall><methodName>sslLogin</methodName><params/></methodCall>")]
    public void ReadMethodCall_ReturnsNoParams_WhenParamsAreAbsentOrEmpty(string document)
    {
        // The Go client used by osbuild-composer omits <params>; Python sends an empty block (koji-wire.md §2.1).
        var call = XmlRpcReader.ReadMethodCall(document);

        Assert.Equal("sslLogin", call.MethodName);
        Assert.Empty(call.Params);
    }

    [Fact]
    public void ReadMethodCall_ReturnsParams_WhenTranscriptIsHostUpdateHost()
    {
        var call = XmlRpcReader.ReadMethodCall(GoldenTranscripts.Request("host.updateHost").Bytes);

        Assert.Equal("host.updateHost", call.MethodName);
        Assert.Equal(0.0, call.Params[0]);
        Assert.Equal(true, call.Params[1]);
        var keywords = Assert.IsType<XmlRpcStruct>(call.Params[2]);
        var data = Assert.IsType<XmlRpcStruct>(keywords["data"]);
        Assert.Equal(new object?[] { "osbuildImage", "tagBuild" }, data["methods"]);
        Assert.Equal(2, data["maxjobs"]);
        Assert.Equal(true, keywords["__starstar"]);
    }

    [Fact]
    public void ReadResponse_ReturnsStruct_WhenTranscriptIsSslLogin()
    {
        var session = Assert.IsType<XmlRpcStruct>(XmlRpcReader.ReadMethodResponse(GoldenTranscripts.Response("sslLogin").Bytes));

        Assert.Equal(33, session["session-id"]);
        Assert.Equal("2-XNCph5MEcDPxsqjpoGA", session["session-key"]);
        Assert.Equal(true, session["header-auth"]);
    }

    [Fact]
    public void ReadResponse_ReturnsTasks_WhenTranscriptIsHostGetTasks()
    {
        var tasks = Assert.IsType<object?[]>(XmlRpcReader.ReadMethodResponse(GoldenTranscripts.Response("host.getTasks").Bytes));

        Assert.Equal(2, tasks.Length);
        var first = Assert.IsType<XmlRpcStruct>(tasks[0]);
        Assert.Equal(1795655803.490997, first["create_ts"]);
        Assert.Equal("osbuildImage", first["method"]);
        Assert.Equal(4, first["state"]);
    }

    [Fact]
    public void Read_AcceptsPrettyPrintedDocument_WhenItHasBomCommentsAndIndentation()
    {
        const string Document = "\uFEFF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<!-- from a hand-written server -->\r\n" +
            "<?stylesheet ignore?>\r\n<methodResponse xmlns:ex=\"http://ws.apache.org/xmlrpc/namespaces/extensions\">\r\n" +
            "  <params>\r\n    <param>\r\n      <value>\r\n        <struct>\r\n          <member>\r\n" +
            "            <name>id</name>\r\n            <value>  <int> 42 </int>  </value>\r\n          </member>\r\n" +
            "          <!-- a comment between members -->\r\n          <member>\r\n            <name>tags</name>\r\n" +
            "            <value><array>\r\n              <data>\r\n                <value><string>a</string></value>\r\n" +
            "                <value><ex:nil/></value>\r\n              </data>\r\n            </array></value>\r\n" +
            "          </member>\r\n        </struct>\r\n      </value>\r\n    </param>\r\n  </params>\r\n</methodResponse>\r\n" +
            "<!-- trailing -->\r\n";

        var value = Assert.IsType<XmlRpcStruct>(XmlRpcReader.ReadMethodResponse(Document));

        Assert.Equal(42, value["id"]);
        Assert.Equal(new object?[] { "a", null }, value["tags"]);
    }

    [Fact]
    public void Read_DecodesReferencesAndCdata_WhenStringUsesThem()
    {
        string document = Response(
            "<value><string>&lt;a&gt; &amp; &quot;b&quot; &apos;c&apos; &#65;&#x42; &#x1F680; <![CDATA[<raw> & ]]>end</string></value>");

        Assert.Equal("<a> & \"b\" 'c' AB 🚀 <raw> & end", XmlRpcReader.ReadMethodResponse(document));
    }

    [Fact]
    public void Read_NormalisesLineEnds_WhenStringHasCarriageReturns()
    {
        // XML end-of-line handling: raw CR LF and CR become LF; a character reference keeps a real CR.
        string document = Response("<value><string>a\r\nb\rc&#13;d<![CDATA[e\r\nf]]></string></value>");

        Assert.Equal("a\nb\nc\rde\nf", XmlRpcReader.ReadMethodResponse(document));
    }

    [Fact]
    public void Read_SkipsCommentsInsideText_WhenStringHasThem()
    {
        Assert.Equal("abcd", XmlRpcReader.ReadMethodResponse(Response("<value><string>ab<!-- x -->cd</string></value>")));
        Assert.Equal("abcd", XmlRpcReader.ReadMethodResponse(Response("<value>ab<?pi x?>cd</value>")));
        Assert.Equal(12, XmlRpcReader.ReadMethodResponse(Response("<value><int>1<!-- x -->2</int></value>")));
    }

    [Fact]
    public void Read_AcceptsWordsAndWhitespace_WhenScalarsUseThem()
    {
        Assert.Equal(true, XmlRpcReader.ReadMethodResponse(Response("<value><boolean> true </boolean></value>")));
        Assert.Equal(false, XmlRpcReader.ReadMethodResponse(Response("<value><boolean>False</boolean></value>")));
        Assert.Equal(-5, XmlRpcReader.ReadMethodResponse(Response("<value><int>\n-5\n</int></value>")));
        Assert.Equal(5, XmlRpcReader.ReadMethodResponse(Response("<value><int>+5</int></value>")));
        Assert.Equal(1e5, XmlRpcReader.ReadMethodResponse(Response("<value><double> 1E5 </double></value>")));
        Assert.Equal(double.NegativeInfinity, XmlRpcReader.ReadMethodResponse(Response("<value><double>-inf</double></value>")));
        Assert.Equal(double.PositiveInfinity, XmlRpcReader.ReadMethodResponse(Response("<value><double>Infinity</double></value>")));
        Assert.Equal("hi"u8.ToArray(), XmlRpcReader.ReadMethodResponse(Response("<value><base64>\n aGk=\r\n</base64></value>")));
        Assert.Equal(Array.Empty<byte>(), XmlRpcReader.ReadMethodResponse(Response("<value><base64/></value>")));
        Assert.Equal(Array.Empty<object?>(), XmlRpcReader.ReadMethodResponse(Response("<value><array></array></value>")));
        Assert.Equal(Array.Empty<object?>(), XmlRpcReader.ReadMethodResponse(Response("<value><array><data/></array></value>")));
        Assert.Equal(Array.Empty<object?>(), XmlRpcReader.ReadMethodResponse(Response("<value><array>\n  <data/>\n</array></value>")));
        Assert.Equal(Array.Empty<object?>(), XmlRpcReader.ReadMethodResponse(Response("<value><array>\n</array></value>")));
        Assert.Empty(Assert.IsType<XmlRpcStruct>(XmlRpcReader.ReadMethodResponse(Response("<value><struct/></value>"))));
    }

    [Fact]
    public async Task Read_GivesSameValue_WhenEveryOverloadIsUsed()
    {
        var body = GoldenTranscripts.Response("CGInitBuild");
        string expected = Encode(XmlRpcReader.ReadMethodResponse(body.Bytes));

        Assert.Equal(expected, Encode(XmlRpcReader.ReadMethodResponse(body.Text)));
        Assert.Equal(expected, Encode(XmlRpcReader.ReadMethodResponse(new MemoryStream(body.Bytes))));
        Assert.Equal(expected, Encode(await XmlRpcReader.ReadMethodResponseAsync(new MemoryStream(body.Bytes))));
        Assert.Equal(expected, Encode((await XmlRpcReader.ReadResponseAsync(new NonSeekableStream(body.Bytes))).Value));
        Assert.Equal(expected, Encode(XmlRpcReader.ReadResponse(new NonSeekableStream(body.Bytes)).Value));

        var call = GoldenTranscripts.Request("CGImport");
        var fromSpan = XmlRpcReader.ReadMethodCall(call.Bytes);
        var fromStream = await XmlRpcReader.ReadMethodCallAsync(new MemoryStream(call.Bytes));
        Assert.Equal(fromSpan.Params, fromStream.Params);
        Assert.Equal(fromSpan.Params, XmlRpcReader.ReadMethodCall(new MemoryStream(call.Bytes)).Params);
        Assert.Equal(fromSpan.Params, XmlRpcReader.ReadMethodCall(call.Text).Params);
    }

    [Fact]
    public void Read_StartsAtCurrentPosition_WhenStreamWasPartlyRead()
    {
        byte[] body = GoldenTranscripts.Response("host.subtask").Bytes;
        var stream = new MemoryStream([.. "HTTP junk"u8, .. body]) { Position = 9 };

        Assert.Equal(3, XmlRpcReader.ReadMethodResponse(stream));
    }

    [Fact]
    public async Task ReadAsync_Throws_WhenCancelled()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => XmlRpcReader.ReadMethodResponseAsync(new MemoryStream(GoldenTranscripts.Response("sslLogin").Bytes), null, cancelled.Token).AsTask());
    }

    [Fact]
    public async Task ReadMethodResponseAsync_ThrowsTypedFault_WhenReplyIsFault()
    {
        byte[] body = GoldenTranscripts.Response("a fault response (getTaskResult)").Bytes;

        var fault = await Assert.ThrowsAsync<KojiBuildErrorFault>(() => XmlRpcReader.ReadMethodResponseAsync(new MemoryStream(body)).AsTask());
        Assert.Equal(1005, fault.FaultCode);
    }

    [Fact]
    public void Options_Throw_WhenLimitsAreOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new XmlRpcReaderOptions { MaxDepth = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new XmlRpcReaderOptions { MaxDepth = 257 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new XmlRpcReaderOptions { MaxDocumentBytes = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new XmlRpcReaderOptions { MaxStringBytes = 0 });
        Assert.Equal(64, XmlRpcReaderOptions.Default.MaxDepth);
        Assert.Equal(256 * 1024 * 1024, XmlRpcReaderOptions.Default.MaxDocumentBytes);
        Assert.Null(XmlRpcReaderOptions.Default.MaxStringBytes);
    }

    [Fact]
    public void Read_KeepsMemberNames_WhenTheyAreNonAscii()
    {
        var value = new XmlRpcStruct { ["größe"] = 1, ["名前"] = "x", [new string('n', 100)] = 2 };

        var decoded = Assert.IsType<XmlRpcStruct>(RoundTrip(value));

        Assert.Equal(value.Keys, decoded.Keys);
        Assert.Equal(Encoding.UTF8.GetBytes(Encode(value)), Encoding.UTF8.GetBytes(Encode(decoded)));
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
