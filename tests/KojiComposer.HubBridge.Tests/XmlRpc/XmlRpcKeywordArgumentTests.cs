using KojiComposer.HubBridge.Tests.XmlRpc.Golden;
using KojiComposer.HubBridge.XmlRpc;
using Xunit;
using static KojiComposer.HubBridge.Tests.XmlRpc.XmlRpcTestDocuments;

namespace KojiComposer.HubBridge.Tests.XmlRpc;

/// <summary>koji-wire.md §2.2: keyword arguments travel as a last struct with __starstar = true.</summary>
public sealed class XmlRpcKeywordArgumentTests
{
    private const string Starstar = "<member>\n<name>__starstar</name>\n<value><boolean>1</boolean></value>\n</member>\n";

    private static string Call(string method, string paramsXml) =>
        $"{Header}<methodCall>\n<methodName>{method}</methodName>\n<params>\n{paramsXml}</params>\n</methodCall>\n";

    private static string Param(string valueXml) => $"<param>\n{valueXml}</param>\n";

    [Fact]
    public void Write_MatchesTranscript_WhenExclusiveSessionIsForced()
    {
        string written = EncodeCall("exclusiveSession", KojiKeywordArguments.Of(("force", true)));
        Assert.Equal(GoldenTranscripts.Request("exclusiveSession").Text, written);
    }

    [Fact]
    public void Write_MatchesTranscript_WhenSslLoginHasNilProxyUser()
    {
        string written = EncodeCall("sslLogin", KojiKeywordArguments.Of(("proxyuser", null)));
        Assert.Equal(GoldenTranscripts.Request("sslLogin").Text, written);
    }

    [Fact]
    public void Write_AppendsKeywordStruct_WhenGetTaskInfoAsksForRequest()
    {
        string written = EncodeCall("getTaskInfo", 1, KojiKeywordArguments.Of(("request", true)));
        Assert.Equal(
            Call("getTaskInfo", Param("<value><int>1</int></value>\n") + Param(
                "<value><struct>\n<member>\n<name>request</name>\n<value><boolean>1</boolean></value>\n</member>\n" +
                Starstar + "</struct></value>\n")),
            written);
    }

    [Fact]
    public void Write_MatchesTranscript_WhenSubtaskIsAllKeywords()
    {
        string written = EncodeCall(
            "host.subtask",
            KojiKeywordArguments.Of(
                ("method", "tagBuild"),
                ("arglist", new object?[] { 2, 1, false, null, true }),
                ("label", "tag"),
                ("parent", 1),
                ("arch", "noarch")));
        Assert.Equal(GoldenTranscripts.Request("host.subtask").Text, written);
    }

    [Fact]
    public void Write_MatchesTranscript_WhenUpdateHostHasDataKeyword()
    {
        var data = new XmlRpcStruct { ["methods"] = new[] { "osbuildImage", "tagBuild" }, ["maxjobs"] = 2 };
        string written = EncodeCall("host.updateHost", 0.0, true, KojiKeywordArguments.Of(("data", data)));
        Assert.Equal(GoldenTranscripts.Request("host.updateHost").Text, written);
    }

    [Fact]
    public void Write_AppendsOptsKeyword_WhenOsbuildImageHasTrailingOpts()
    {
        string written = EncodeCall(
            "osbuildImage", "Fedora-Cloud", "42", "fedora-42", "qcow2", "f42-candidate", new[] { "x86_64" },
            KojiKeywordArguments.Of(("opts", new XmlRpcStruct())));
        string positional = string.Concat(
            new[] { "Fedora-Cloud", "42", "fedora-42", "qcow2", "f42-candidate" }.Select(s => Param($"<value><string>{s}</string></value>\n")));
        Assert.Equal(
            Call("osbuildImage", positional +
                Param("<value><array><data>\n<value><string>x86_64</string></value>\n</data></array></value>\n") +
                Param("<value><struct>\n<member>\n<name>opts</name>\n<value><struct>\n</struct></value>\n</member>\n" +
                    Starstar + "</struct></value>\n")),
            written);
    }

    [Fact]
    public void Split_RemovesMarker_WhenLastParamIsKeywordStruct()
    {
        var call = XmlRpcReader.ReadMethodCall(EncodeCall("getTaskInfo", 1, KojiKeywordArguments.Of(("request", true))));
        var (positional, keywords) = KojiArguments.Split(call.Params);

        Assert.Equal(new object?[] { 1 }, positional);
        Assert.NotNull(keywords);
        Assert.Equal(["request"], keywords.Keys);
        Assert.Equal(true, keywords["request"]);

        // The decoded params themselves are left alone.
        Assert.True(((XmlRpcStruct)call.Params[1]!).ContainsKey("__starstar"));
    }

    [Fact]
    public void Split_ReturnsAllKeywords_WhenCallHasOnlyKeywords()
    {
        var call = XmlRpcReader.ReadMethodCall(GoldenTranscripts.Request("host.subtask").Bytes);
        var (positional, keywords) = KojiArguments.Split(call.Params);

        Assert.Empty(positional);
        Assert.Equal(["method", "arglist", "label", "parent", "arch"], keywords!.Keys);
    }

    [Fact]
    public void Split_KeepsStruct_WhenMarkerIsMissingOrFalse()
    {
        var plain = new XmlRpcStruct { ["name"] = "x" };
        var off = new XmlRpcStruct { ["name"] = "x", ["__starstar"] = false };

        Assert.Null(KojiArguments.Split([1, plain]).Keywords);
        Assert.Equal(2, KojiArguments.Split([1, plain]).Positional.Length);
        Assert.Null(KojiArguments.Split([off]).Keywords);
        Assert.Null(KojiArguments.Split([]).Keywords);
    }

    [Fact]
    public void Write_Throws_WhenKeywordsAreNotLast()
    {
        var error = Assert.Throws<ArgumentException>(() => EncodeCall("x", KojiKeywordArguments.Of(("a", 1)), 2));
        Assert.Contains("Keyword arguments can only be the last parameter", error.Message, StringComparison.Ordinal);
        Assert.Contains("(at params[0])", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_Throws_WhenNameIsMarkerOrRepeated()
    {
        Assert.Throws<ArgumentException>(() => KojiKeywordArguments.Of(("__starstar", true)));
        Assert.Throws<ArgumentException>(() => KojiKeywordArguments.Of(("a", 1), ("a", 2)));
        var direct = new KojiKeywordArguments(new Dictionary<string, object?> { ["__starstar"] = true });
        Assert.Throws<ArgumentException>(() => EncodeCall("x", direct));
    }
}
