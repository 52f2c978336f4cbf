using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.XmlRpc;
using Xunit;
using static KojiComposer.HubBridge.Tests.XmlRpc.XmlRpcTestDocuments;

namespace KojiComposer.HubBridge.Tests.XmlRpc;

/// <summary>koji-wire.md §4.4.</summary>
public sealed class XmlRpcMultiCallTests
{
    [Fact]
    public void Encode_BuildsMethodNameAndParamsStructs_WhenCallsAreGiven()
    {
        var calls = XmlRpcMultiCall.Encode(
        [
            new XmlRpcMethodCall("echo", ["x"]),
            new XmlRpcMethodCall("host.getID", []),
            new XmlRpcMethodCall("getTaskInfo", [1, KojiKeywordArguments.Of(("request", true))]),
        ]);

        string document = EncodeCall(XmlRpcMultiCall.MethodName, (object)calls);
        var decoded = XmlRpcReader.ReadMethodCall(document);
        var entries = Assert.IsType<object?[]>(Assert.Single(decoded.Params));

        Assert.Equal(3, entries.Length);
        var first = Assert.IsType<XmlRpcStruct>(entries[0]);
        Assert.Equal(["methodName", "params"], first.Keys);
        Assert.Equal("echo", first["methodName"]);
        Assert.Equal(new object?[] { "x" }, first["params"]);
        Assert.Empty(Assert.IsType<object?[]>(Assert.IsType<XmlRpcStruct>(entries[1])["params"]));
        var third = Assert.IsType<object?[]>(Assert.IsType<XmlRpcStruct>(entries[2])["params"]);
        var keywords = Assert.IsType<XmlRpcStruct>(third[1]);
        Assert.Equal(["request", "__starstar"], keywords.Keys);
        Assert.Contains("<name>__starstar</name>", document, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_ReturnsValuesAndFaults_WhenReplyMixesBoth()
    {
        // Observed: [[['x']], [1]] for [echo('x'), host.getID()], plus a failing third call.
        string reply = Encode(new object?[]
        {
            new object?[] { new object?[] { "x" } },
            new object?[] { 1 },
            new XmlRpcStruct { ["faultCode"] = 1002, ["faultString"] = "User 2 is not a host", ["traceback"] = "…" },
        });

        var results = XmlRpcMultiCall.Decode(XmlRpcReader.ReadMethodResponse(reply), expectedCount: 3);

        Assert.Equal(new object?[] { "x" }, results[0].Value);
        Assert.Equal(1, results[1].GetValueOrThrow());
        Assert.True(results[2].IsFault);
        var fault = Assert.IsType<KojiAuthErrorFault>(results[2].Fault);
        Assert.Equal("User 2 is not a host", fault.FaultString);
        Assert.Throws<KojiAuthErrorFault>(() => results[2].GetValueOrThrow());
    }

    [Fact]
    public void Decode_Throws_WhenReplyHasWrongShape()
    {
        Assert.Contains("not an array", Assert.Throws<XmlRpcFormatException>(() => XmlRpcMultiCall.Decode("x")).Message, StringComparison.Ordinal);
        Assert.Contains("2 results for 3 calls", Assert.Throws<XmlRpcFormatException>(() => XmlRpcMultiCall.Decode(new object?[] { new object?[] { 1 }, new object?[] { 2 } }, 3)).Message, StringComparison.Ordinal);
        Assert.Contains("entry 0 is neither", Assert.Throws<XmlRpcFormatException>(() => XmlRpcMultiCall.Decode(new object?[] { new object?[] { 1, 2 } })).Message, StringComparison.Ordinal);
    }
}
