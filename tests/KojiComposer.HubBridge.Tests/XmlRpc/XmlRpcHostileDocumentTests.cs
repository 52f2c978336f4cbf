using System.Text;
using KojiComposer.HubBridge.Tests.XmlRpc.Golden;
using KojiComposer.HubBridge.XmlRpc;
using Xunit;
using static KojiComposer.HubBridge.Tests.XmlRpc.XmlRpcTestDocuments;

namespace KojiComposer.HubBridge.Tests.XmlRpc;

/// <summary>Documents a broken or hostile peer may send; each must be refused with a message naming the problem.</summary>
public sealed class XmlRpcHostileDocumentTests
{
    private const string Gigabyte = "1073741824";

    private static XmlRpcFormatException Refused(string document) =>
        Assert.Throws<XmlRpcFormatException>(() => XmlRpcReader.ReadMethodResponse(document));

    [Fact]
    public void Read_RefusesDtd_WhenDocumentDeclaresEntities()
    {
        var error = Refused("<?xml version=\"1.0\"?>\n<!DOCTYPE methodResponse [<!ENTITY x \"y\">]>\n" +
            "<methodResponse><params><param><value>&x;</value></param></params></methodResponse>");

        Assert.Equal(
            "XML-RPC reply is not valid: DTD is prohibited: found <!DOCTYPE> at line 2, position 3 " +
            "(document type declarations and entity definitions are refused)",
            error.Message);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public void Read_RefusesBillionLaughs_WhenEntitiesExpandExponentially()
    {
        var dtd = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
        for (int i = 1; i <= 9; i++)
        {
            dtd.Append($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{(i == 1 ? string.Empty : i - 1)};", 10))}\">\n");
        }

        dtd.Append("]>\n<methodResponse><params><param><value><string>&lol9;</string></value></param></params></methodResponse>");

        var error = Refused(dtd.ToString());

        Assert.StartsWith("XML-RPC reply is not valid: DTD is prohibited: found <!DOCTYPE> at line 2, position 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesExternalEntity_WhenDocumentPointsAtAFile()
    {
        var error = Refused("<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n" +
            "<methodResponse><params><param><value>&xxe;</value></param></params></methodResponse>");

        Assert.Contains("DTD is prohibited", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesUndefinedEntity_WhenNoDtdDeclaresIt()
    {
        var error = Refused(Response("<value><string>a &xxe; b</string></value>"));

        Assert.Equal(
            "XML-RPC reply is not valid: reference to undefined entity &xxe; at line 5, position 18 " +
            "(only &amp; &lt; &gt; &quot; &apos; and character references are allowed)",
            error.Message);
    }

    [Fact]
    public void Read_RefusesQuickly_WhenValuesNestTenThousandDeep()
    {
        const int Depth = 10_000;
        string document = Response(
            string.Concat(Enumerable.Repeat("<value><array><data>", Depth)) +
            string.Concat(Enumerable.Repeat("</data></array></value>", Depth)));

        var error = Refused(document);

        Assert.Equal(
            "XML-RPC reply is not valid: values nest deeper than 64 structs/arrays (XmlRpcReaderOptions.MaxDepth) at line 5, position 1289",
            error.Message);
    }

    [Fact]
    public void Read_RefusesDeepStructs_WhenNestingPassesConfiguredDepth()
    {
        string Nest(int depth) => depth == 0
            ? "<value><int>1</int></value>"
            : $"<value><struct><member><name>n</name>{Nest(depth - 1)}</member></struct></value>";

        var options = new XmlRpcReaderOptions { MaxDepth = 5 };
        Assert.IsType<XmlRpcStruct>(XmlRpcReader.ReadMethodResponse(Response(Nest(5)), options));
        var error = Assert.Throws<XmlRpcFormatException>(() => XmlRpcReader.ReadMethodResponse(Response(Nest(6)), options));
        Assert.Contains("values nest deeper than 5 structs/arrays (XmlRpcReaderOptions.MaxDepth)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_ParsesMaximumDepth_WhenRunOnThreadPoolThread()
    {
        const int Depth = 256;
        string document = Response(
            string.Concat(Enumerable.Repeat("<value><array><data>", Depth)) + "<value><int>1</int></value>" +
            string.Concat(Enumerable.Repeat("</data></array></value>", Depth)));

        object? value = await Task.Run(() => XmlRpcReader.ReadMethodResponse(document, new XmlRpcReaderOptions { MaxDepth = Depth }));

        for (int i = 0; i < Depth; i++)
        {
            value = Assert.Single(Assert.IsType<object?[]>(value));
        }

        Assert.Equal(1, value);
    }

    [Fact]
    public void Read_StopsAtSizeLimit_WhenStreamSendsGigabyteString()
    {
        var stream = new GeneratorStream(
            Header + "<methodResponse>\n<params>\n<param>\n<value><string>", (byte)'a', long.Parse(Gigabyte, System.Globalization.CultureInfo.InvariantCulture),
            "</string></value>\n</param>\n</params>\n</methodResponse>\n");

        var error = Assert.Throws<XmlRpcFormatException>(() => XmlRpcReader.ReadMethodResponse(stream));

        Assert.Equal(
            "XML-RPC reply is too large: more than 268435456 bytes (XmlRpcReaderOptions.MaxDocumentBytes)",
            error.Message);
        Assert.InRange(stream.BytesRead, XmlRpcReaderOptions.Default.MaxDocumentBytes, XmlRpcReaderOptions.Default.MaxDocumentBytes + 1);
    }

    [Fact]
    public async Task ReadAsync_StopsAtConfiguredLimit_WhenStreamSendsGigabyteString()
    {
        var options = new XmlRpcReaderOptions { MaxDocumentBytes = 1 << 20 };
        var stream = new GeneratorStream(Header + "<methodCall><methodName>x</methodName><params><param><value>", (byte)'b', 1L << 30, "</value></param></params></methodCall>");

        var error = await Assert.ThrowsAsync<XmlRpcFormatException>(() => XmlRpcReader.ReadMethodCallAsync(stream, options).AsTask());

        Assert.Equal("XML-RPC request is too large: more than 1048576 bytes (XmlRpcReaderOptions.MaxDocumentBytes)", error.Message);
        Assert.Equal((1 << 20) + 1, stream.BytesRead);
    }

    [Fact]
    public void Read_RefusesLongString_WhenMaxStringBytesIsSet()
    {
        var options = new XmlRpcReaderOptions { MaxStringBytes = 1000 };
        string document = Response($"<value><string>{new string('x', 1001)}</string></value>\n");

        Assert.Equal(new string('x', 1000), XmlRpcReader.ReadMethodResponse(Response($"<value><string>{new string('x', 1000)}</string></value>\n"), options));
        var error = Assert.Throws<XmlRpcFormatException>(() => XmlRpcReader.ReadMethodResponse(document, options));
        Assert.Equal(
            "XML-RPC reply is not valid: a string of more than 1000 bytes (XmlRpcReaderOptions.MaxStringBytes) at line 5, position 16",
            error.Message);
    }

    [Fact]
    public void Read_RefusesLongEscapedString_WhenMaxStringBytesIsSet()
    {
        var options = new XmlRpcReaderOptions { MaxStringBytes = 100 };
        string document = Response($"<value><string>{string.Concat(Enumerable.Repeat("&amp;", 101))}</string></value>\n");

        var error = Assert.Throws<XmlRpcFormatException>(() => XmlRpcReader.ReadMethodResponse(document, options));
        Assert.Contains("a string of more than 100 bytes (XmlRpcReaderOptions.MaxStringBytes)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesDocument_WhenLargerThanLimitInMemory()
    {
        var options = new XmlRpcReaderOptions { MaxDocumentBytes = 100 };
        string document = Response($"<value><string>{new string('x', 100)}</string></value>\n");

        var error = Assert.Throws<XmlRpcFormatException>(() => XmlRpcReader.ReadMethodResponse(document, options));
        Assert.Equal("XML-RPC reply is too large: more than 100 bytes (XmlRpcReaderOptions.MaxDocumentBytes)", error.Message);
    }

    [Theory]
    [InlineData(10, "unterminated XML declaration at line 1, position 1")]
    [InlineData(30, "unexpected end of document at line 2, position 9 (expected a complete tag)")]
    [InlineData(63, "unexpected end of document at line 5, position 8 (expected </value>)")]
    [InlineData(80, "unexpected end of document at line 6, position 9 (expected <name>)")]
    [InlineData(200, "unexpected end of document at line 12, position 23 (expected </string>)")]
    [InlineData(360, "unexpected end of document at line 21, position 2 (expected </methodResponse>)")]
    [InlineData(370, "unexpected end of document at line 21, position 12 (expected </methodResponse>)")]
    public void Read_RefusesTruncatedDocument_WhenReplyIsCutShort(int length, string problem)
    {
        string document = GoldenTranscripts.Response("sslLogin").Text[..length];

        var error = Refused(document);

        Assert.StartsWith($"XML-RPC reply is not valid: {problem}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ExplainsRoot_WhenReplyIsAMethodCall()
    {
        var error = Refused(GoldenTranscripts.Request("host.getTasks").Text);

        Assert.Equal(
            "XML-RPC reply is not valid: unexpected element <methodCall> at line 2, position 2 (expected <methodResponse>)",
            error.Message);
    }

    [Fact]
    public void Read_ExplainsRoot_WhenReplyIsAnHtmlPage()
    {
        var error = Refused("<html><head><title>502 Proxy Error</title></head><body>Bad gateway</body></html>");

        Assert.Equal(
            "XML-RPC reply is not valid: unexpected element <html> at line 1, position 2 (expected <methodResponse>)",
            error.Message);
    }

    [Fact]
    public void Read_ExplainsHtml_WhenReplyIsAnHtmlPageWithDoctype()
    {
        var error = Refused("<!DOCTYPE html>\n<html><body><h1>401 Unauthorized</h1></body></html>");

        Assert.Equal(
            "XML-RPC reply is not valid: DTD is prohibited: found <!DOCTYPE html> at line 1, position 3 (this is an HTML page, not XML-RPC)",
            error.Message);
    }

    [Fact]
    public void Read_ExplainsText_WhenReplyIsPlainText()
    {
        var error = Refused("Method Not Allowed");

        Assert.Equal(
            "XML-RPC reply is not valid: unexpected text \"Method Not Allowed\" at line 1, position 1 (expected <methodResponse>)",
            error.Message);
    }

    [Theory]
    [InlineData("", "the document is empty at line 1, position 1")]
    [InlineData("  \n <?xml version='1.0'?><methodResponse/>", "XML declaration not at the start of the document at line 2, position 2")]
    [InlineData("<?xml version='1.0' encoding='ISO-8859-1'?><methodResponse/>", "unsupported encoding \"ISO-8859-1\" at line 1, position 1 (only UTF-8 documents are accepted)")]
    [InlineData("<methodResponse/>", "empty <methodResponse> at line 1, position 2 (expected <params> or <fault>)")]
    [InlineData("<methodResponse><params></params></methodResponse>", "a methodResponse with no <param> at line 1, position 25 (expected one <param>)")]
    [InlineData("<methodResponse><params><param><value>1</value></param><param><value>2</value></param></params></methodResponse>", "a methodResponse with more than one <param> at line 1, position 57 (expected </params>)")]
    [InlineData("<methodResponse><params><param><value>1</value></param><fault/></params></methodResponse>", "unexpected element <fault> at line 1, position 57 (expected </params>)")]
    [InlineData("<methodResponse><params><param><value><int>x1</int></value></param></params></methodResponse>", "invalid <int> value \"x1\" at line 1, position 40")]
    [InlineData("<methodResponse><params><param><value><int>99999999999999999999</int></value></param></params></methodResponse>", "invalid <int> value \"99999999999999999999\" at line 1, position 40")]
    [InlineData("<methodResponse><params><param><value><int/></value></param></params></methodResponse>", "empty <int> at line 1, position 40")]
    [InlineData("<methodResponse><params><param><value><boolean>2</boolean></value></param></params></methodResponse>", "invalid <boolean> value \"2\" at line 1, position 40")]
    [InlineData("<methodResponse><params><param><value><double>1.2.3</double></value></param></params></methodResponse>", "invalid <double> value \"1.2.3\" at line 1, position 40")]
    [InlineData("<methodResponse><params><param><value><base64>a=b=</base64></value></param></params></methodResponse>", "invalid <base64> data at line 1, position 40")]
    [InlineData("<methodResponse><params><param><value><dateTime.iso8601>yesterday</dateTime.iso8601></value></param></params></methodResponse>", "invalid <dateTime.iso8601> value \"yesterday\" at line 1, position 40")]
    [InlineData("<methodResponse><params><param><value><float>1</float></value></param></params></methodResponse>", "unknown value type <float> at line 1, position 40")]
    [InlineData("<methodResponse><params><param><value><int>1</int></param></params></methodResponse>", "unexpected end tag </param> at line 1, position 53 (expected </value>)")]
    [InlineData("<methodResponse><params><param><value>text<int>1</int></value></param></params></methodResponse>", "text \"text\" mixed with a type element at line 1, position 39 (expected a type element or text, not both)")]
    [InlineData("<methodResponse><params><param><value><struct>junk</struct></value></param></params></methodResponse>", "unexpected text \"junk\" at line 1, position 47 (expected <member> or </struct>)")]
    [InlineData("<methodResponse><params><param><value><string>a & b</string></value></param></params></methodResponse>", "'&' that does not start an entity or character reference at line 1, position 49 (a literal & must be written &amp;)")]
    [InlineData("<methodResponse><params><param><value><string>&#0;</string></value></param></params></methodResponse>", "invalid character reference &#0; at line 1, position 47")]
    [InlineData("<methodResponse><params><param><value><string>\u0001</string></value></param></params></methodResponse>", "character U+0001 is not allowed in XML 1.0 at line 1, position 47")]
    [InlineData("<methodResponse><params><param><value><string><!-- open</string></value></param></params></methodResponse>", "unterminated comment at line 1, position 47")]
    [InlineData("<methodResponse><params><param><value><string><![CDATA[open</string></value></param></params></methodResponse>", "unterminated CDATA section at line 1, position 47")]
    [InlineData("<methodResponse><params><param><value>1</value></param></params></methodResponse><methodResponse/>", "unexpected content after </methodResponse> at line 1, position 82 (expected end of document)")]
    [InlineData("<methodResponse><params><param><value x='1><int>1</int></value></param></params></methodResponse>", "malformed attribute in <value> at line 1, position 41")]
    public void Read_ExplainsProblem_WhenDocumentIsMalformed(string document, string problem)
    {
        var error = Refused(document);

        Assert.Equal($"XML-RPC reply is not valid: {problem}", error.Message);
    }

    [Fact]
    public void Read_RefusesInvalidUtf8_WhenBytesAreLatin1()
    {
        string[] halves = Response("<value><string>caf\u00E9</string></value>\n").Split('\u00E9');
        byte[] document = [.. Encoding.UTF8.GetBytes(halves[0]), 0xE9, .. Encoding.UTF8.GetBytes(halves[1])];

        var error = Assert.Throws<XmlRpcFormatException>(() => XmlRpcReader.ReadMethodResponse(document));

        Assert.Equal(
            "XML-RPC reply is not valid: invalid UTF-8 byte 0xE9 at line 5, position 19 (only UTF-8 documents are accepted)",
            error.Message);
        Assert.Equal(5, error.LineNumber);
        Assert.Equal(19, error.LinePosition);
        Assert.Equal(document.AsSpan().IndexOf((byte)0xE9), error.ByteOffset);
    }

    [Fact]
    public void ReadMethodCall_SaysRequest_WhenRequestIsMalformed()
    {
        var error = Assert.Throws<XmlRpcFormatException>(() => XmlRpcReader.ReadMethodCall("<methodCall><params/></methodCall>"));

        Assert.Equal(
            "XML-RPC request is not valid: unexpected element <params> at line 1, position 14 (expected <methodName>)",
            error.Message);
    }
}
