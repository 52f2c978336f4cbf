using KojiComposer.HubBridge.XmlRpc;
using Xunit;
using static KojiComposer.HubBridge.Tests.XmlRpc.XmlRpcTestDocuments;

namespace KojiComposer.HubBridge.Tests.XmlRpc;

public sealed class XmlRpcRoundTripTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    [InlineData(1023)]
    [InlineData(1024)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void RoundTrip_ReturnsInt_WhenValueFitsInt32(int value)
    {
        Assert.Equal($"<value><int>{value}</int></value>\n", EncodeValue(value));
        Assert.Equal(value, Assert.IsType<int>(RoundTrip(value)));
    }

    [Theory]
    [InlineData(2147483648L)]
    [InlineData(-2147483649L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void Write_EmitsI8_WhenLongIsOutsideInt32(long value)
    {
        Assert.Equal($"<value><i8>{value}</i8></value>\n", EncodeValue(value));
        Assert.Equal(value, Assert.IsType<long>(RoundTrip(value)));
    }

    [Theory]
    [InlineData(2147483647L)]
    [InlineData(-2147483648L)]
    [InlineData(0L)]
    public void Write_EmitsInt_WhenLongFitsInt32(long value)
    {
        // koji's ExtendedMarshaller only switches to <i8> outside int32; such a value decodes as int.
        Assert.Equal($"<value><int>{value}</int></value>\n", EncodeValue(value));
        Assert.Equal((int)value, Assert.IsType<int>(RoundTrip(value)));
    }

    [Fact]
    public void Read_ReturnsLong_WhenValueIsI8()
    {
        Assert.Equal(5L, Assert.IsType<long>(Decode(Response("<value><i8>5</i8></value>\n"))));
        Assert.Equal(2147483648L, Decode(Response("<value><i8>2147483648</i8></value>\n")));
    }

    [Fact]
    public void Read_ReturnsInt_WhenValueIsI4()
    {
        Assert.Equal(-7, Assert.IsType<int>(Decode(Response("<value><i4>-7</i4></value>\n"))));
    }

    [Fact]
    public void Read_ReturnsLong_WhenIntElementHoldsMoreThan32Bits()
    {
        // Go's and Python's marshallers can put any integer into <int>; it is kept, not truncated.
        Assert.Equal(4294967296L, Assert.IsType<long>(Decode(Response("<value><int>4294967296</int></value>"))));
    }

    [Theory]
    [InlineData(true, "1")]
    [InlineData(false, "0")]
    public void RoundTrip_ReturnsBool_WhenValueIsBoolean(bool value, string wire)
    {
        Assert.Equal($"<value><boolean>{wire}</boolean></value>\n", EncodeValue(value));
        Assert.Equal(value, RoundTrip(value));
    }

    [Fact]
    public void RoundTrip_ReturnsNull_WhenValueIsNil()
    {
        // Python writes nil without the newline every other value gets (visible throughout the transcripts).
        Assert.Equal("<value><nil/></value>", EncodeValue(null));
        Assert.Null(RoundTrip(null));
    }

    [Theory]
    [InlineData("<value><nil/></value>")]
    [InlineData("<value><nil></nil></value>")]
    [InlineData("<value><ex:nil/></value>")]
    [InlineData("<value><ex:nil xmlns:ex=\"http://ws.apache.org/xmlrpc/namespaces/extensions\"/></value>")]
    [InlineData("<value><foo:nil/></value>")]
    public void Read_ReturnsNull_WhenNilHasAnyForm(string value)
    {
        Assert.Null(Decode(Response(value)));
    }

    [Fact]
    public void Read_ReturnsLong_WhenI8IsNamespaced()
    {
        Assert.Equal(7L, Decode(Response("<value><ex:i8>7</ex:i8></value>")));
    }

    [Theory]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(1.0, "1.0")]
    [InlineData(0.2, "0.2")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(100.0, "100.0")]
    [InlineData(1795655803.490997, "1795655803.490997")]
    [InlineData(1795655806.37583, "1795655806.37583")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1.2345678901234568e+17, "1.2345678901234568e+17")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(1.5e-7, "1.5e-07")]
    [InlineData(1e+300, "1e+300")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(double.MaxValue, "1.7976931348623157e+308")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    public void Write_EmitsPythonRepr_WhenValueIsDouble(double value, string repr)
    {
        Assert.Equal($"<value><double>{repr}</double></value>\n", EncodeValue(value));
        Assert.Equal(value, Assert.IsType<double>(RoundTrip(value)));
    }

    [Fact]
    public void Write_EmitsNan_WhenDoubleIsNaN()
    {
        Assert.Equal("<value><double>nan</double></value>\n", EncodeValue(double.NaN));
        Assert.True(double.IsNaN(Assert.IsType<double>(RoundTrip(double.NaN))));
    }

    [Fact]
    public void Write_EmitsShortestDigits_WhenValueIsFloat()
    {
        Assert.Equal("<value><double>1.1</double></value>\n", EncodeValue(1.1f));
        Assert.Equal("<value><double>3.0</double></value>\n", EncodeValue(3f));
    }

    [Fact]
    public void Write_EmitsDouble_WhenValueIsDecimal()
    {
        Assert.Equal("<value><double>0.25</double></value>\n", EncodeValue(0.25m));
    }

    [Fact]
    public void RoundTrip_ReturnsString_WhenValueHasMarkupAndUnicode()
    {
        const string Text = "a & b < c > d \"q\" 'a' ünïcødé 日本 🚀\ttab\nnewline";
        Assert.Equal(
            "<value><string>a &amp; b &lt; c &gt; d \"q\" 'a' ünïcødé 日本 🚀\ttab\nnewline</string></value>\n",
            EncodeValue(Text));
        Assert.Equal(Text, RoundTrip(Text));
    }

    [Fact]
    public void RoundTrip_ReturnsEmptyString_WhenValueIsEmpty()
    {
        Assert.Equal("<value><string></string></value>\n", EncodeValue(string.Empty));
        Assert.Equal(string.Empty, RoundTrip(string.Empty));
    }

    [Fact]
    public void RoundTrip_ReturnsLongString_WhenValueIsLargerThanOneBufferChunk()
    {
        string text = string.Concat(Enumerable.Repeat("0123456789abcdef<&>é€𝄞", 20_000));
        Assert.Equal(text, RoundTrip(text));
    }

    [Fact]
    public void RoundTrip_ReturnsBytes_WhenValueIsBase64()
    {
        byte[] data = Enumerable.Range(0, 200).Select(i => (byte)i).ToArray();
        string value = EncodeValue(data);

        // base64.encodebytes layout: a newline after the tag, 76 characters per line, each line ended.
        Assert.StartsWith("<value><base64>\nAAECAwQF", value, StringComparison.Ordinal);
        Assert.EndsWith("\n</base64></value>\n", value, StringComparison.Ordinal);
        Assert.All(value.Split('\n')[1..^2], line => Assert.True(line.Length <= 76));
        Assert.Equal(data, RoundTrip(data));
    }

    [Fact]
    public void Write_EmitsPythonLayout_WhenBase64IsShort()
    {
        Assert.Equal("<value><base64>\naGVsbG8=\n</base64></value>\n", EncodeValue("hello"u8.ToArray()));
        Assert.Equal("<value><base64>\n</base64></value>\n", EncodeValue(Array.Empty<byte>()));
        Assert.Equal("<value><base64>\naGVsbG8=\n</base64></value>\n", EncodeValue(new ReadOnlyMemory<byte>("hello"u8.ToArray())));
    }

    [Fact]
    public void RoundTrip_ReturnsDateTime_WhenValueIsDateTime()
    {
        var when = new DateTime(2026, 11, 26, 1, 12, 55, DateTimeKind.Unspecified);
        Assert.Equal("<value><dateTime.iso8601>20261126T01:12:55</dateTime.iso8601></value>\n", EncodeValue(when));
        Assert.Equal(when, RoundTrip(when));
    }

    [Theory]
    [InlineData("20261126T01:12:55")]
    [InlineData("2026-11-26T01:12:55")]
    [InlineData("20261126T011255")]
    [InlineData(" 2026-11-26T01:12:55 ")]
    public void Read_ReturnsDateTime_WhenDateHasIsoForm(string text)
    {
        var value = Decode(Response($"<value><dateTime.iso8601>{text}</dateTime.iso8601></value>"));
        Assert.Equal(new DateTime(2026, 11, 26, 1, 12, 55), value);
    }

    [Fact]
    public void Read_ReturnsUtcDateTime_WhenDateHasOffset()
    {
        var value = Assert.IsType<DateTime>(Decode(Response("<value><dateTime.iso8601>2026-11-26T03:12:55.5+02:00</dateTime.iso8601></value>")));
        Assert.Equal(new DateTime(2026, 11, 26, 1, 12, 55, 500, DateTimeKind.Utc), value);
        Assert.Equal(DateTimeKind.Utc, value.Kind);
    }

    [Fact]
    public void RoundTrip_KeepsOrderAndNesting_WhenValueIsNestedStructsAndArrays()
    {
        var value = new XmlRpcStruct
        {
            ["zeta"] = 1,
            ["alpha"] = new object?[] { "x", null, new XmlRpcStruct { ["deep"] = new object?[] { new object?[] { 2.5 } } } },
            ["session-id"] = 33,
            ["empty"] = new XmlRpcStruct(),
            ["list"] = Array.Empty<object?>(),
        };

        var decoded = Assert.IsType<XmlRpcStruct>(RoundTrip(value));
        Assert.Equal(["zeta", "alpha", "session-id", "empty", "list"], decoded.Keys);
        var alpha = Assert.IsType<object?[]>(decoded["alpha"]);
        Assert.Equal("x", alpha[0]);
        Assert.Null(alpha[1]);
        var deep = Assert.IsType<object?[]>(Assert.IsType<XmlRpcStruct>(alpha[2])["deep"]);
        Assert.Equal(2.5, Assert.IsType<object?[]>(deep[0])[0]);
        Assert.Empty(Assert.IsType<XmlRpcStruct>(decoded["empty"]));
        Assert.Empty(Assert.IsType<object?[]>(decoded["list"]));
        Assert.Equal(Encode(value), Encode(decoded));
    }

    [Fact]
    public void Write_EmitsPythonLayout_WhenValueIsStructAndArray()
    {
        var value = new XmlRpcStruct { ["a"] = new object?[] { 1, null, true }, ["b&c"] = null };
        Assert.Equal(
            "<value><struct>\n<member>\n<name>a</name>\n<value><array><data>\n<value><int>1</int></value>\n" +
            "<value><nil/></value><value><boolean>1</boolean></value>\n</data></array></value>\n</member>\n" +
            "<member>\n<name>b&amp;c</name>\n<value><nil/></value></member>\n</struct></value>\n",
            EncodeValue(value));
    }

    [Fact]
    public void Read_KeepsLastValueAtFirstPosition_WhenMemberNameRepeats()
    {
        var decoded = Assert.IsType<XmlRpcStruct>(Decode(Response(
            "<value><struct><member><name>a</name><value>1</value></member><member><name>b</name><value>2</value></member>" +
            "<member><name>a</name><value>3</value></member></struct></value>")));
        Assert.Equal(["a", "b"], decoded.Keys);
        Assert.Equal("3", decoded["a"]);
    }

    [Fact]
    public void Write_EmitsMembers_WhenValueIsAnyStringKeyedDictionary()
    {
        string expected = EncodeValue(new XmlRpcStruct { ["a"] = 1, ["b"] = 2 });
        Assert.Equal(expected, EncodeValue(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 }));
        Assert.Equal(expected, EncodeValue(new Dictionary<string, object?> { ["a"] = 1, ["b"] = 2 }));
        Assert.Equal(expected, EncodeValue(new SortedList<string, long> { ["a"] = 1, ["b"] = 2 }));
        Assert.Equal(expected, EncodeValue(new GenericOnlyDictionary(new Dictionary<string, short> { ["a"] = 1, ["b"] = 2 })));
    }

    [Fact]
    public void Write_EmitsArray_WhenValueIsAnyEnumerable()
    {
        string expected = EncodeValue(new object?[] { 1, 2, 3 });
        Assert.Equal(expected, EncodeValue(new List<int> { 1, 2, 3 }));
        Assert.Equal(expected, EncodeValue(new[] { 1, 2, 3 }));
        Assert.Equal(expected, EncodeValue(Enumerable.Range(1, 3)));
        Assert.Equal(EncodeValue(new object?[] { "a", "b" }), EncodeValue(new[] { "a", "b" }));
    }

    [Fact]
    public void Write_EmitsIntegers_WhenValueIsOtherIntegralTypeOrEnum()
    {
        Assert.Equal("<value><int>7</int></value>\n", EncodeValue((short)7));
        Assert.Equal("<value><int>255</int></value>\n", EncodeValue((byte)255));
        Assert.Equal("<value><int>-8</int></value>\n", EncodeValue((sbyte)-8));
        Assert.Equal("<value><int>65535</int></value>\n", EncodeValue((ushort)65535));
        Assert.Equal("<value><i8>4294967295</i8></value>\n", EncodeValue(uint.MaxValue));
        Assert.Equal("<value><i8>9223372036854775807</i8></value>\n", EncodeValue((ulong)long.MaxValue));
        Assert.Equal("<value><int>4</int></value>\n", EncodeValue(TaskState.Assigned));
        Assert.Equal("<value><i8>8589934592</i8></value>\n", EncodeValue(LargeEnum.Big));
        Assert.Equal("<value><string>x</string></value>\n", EncodeValue('x'));
    }

    [Fact]
    public void Read_ReturnsString_WhenValueHasNoTypeElement()
    {
        Assert.Equal("bare text", Decode(Response("<value>bare text</value>")));
        Assert.Equal(string.Empty, Decode(Response("<value></value>")));
        Assert.Equal(string.Empty, Decode(Response("<value/>")));
        Assert.Equal("  ", Decode(Response("<value>  </value>")));
        Assert.Equal(string.Empty, Decode(Response("<value><string/></value>")));
    }

    private enum TaskState
    {
        Assigned = 4,
    }

    private enum LargeEnum : long
    {
        Big = 1L << 33,
    }

    /// <summary>A dictionary that implements only the generic read-only interface.</summary>
    private sealed class GenericOnlyDictionary(Dictionary<string, short> inner) : IReadOnlyDictionary<string, short>
    {
        public short this[string key] => inner[key];

        public IEnumerable<string> Keys => inner.Keys;

        public IEnumerable<short> Values => inner.Values;

        public int Count => inner.Count;

        public bool ContainsKey(string key) => inner.ContainsKey(key);

        public IEnumerator<KeyValuePair<string, short>> GetEnumerator() => inner.GetEnumerator();

        public bool TryGetValue(string key, out short value) => inner.TryGetValue(key, out value);

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
