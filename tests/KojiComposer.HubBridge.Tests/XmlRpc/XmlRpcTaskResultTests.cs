using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Tests.XmlRpc.Golden;
using KojiComposer.HubBridge.XmlRpc;
using Xunit;

namespace KojiComposer.HubBridge.Tests.XmlRpc;

/// <summary>koji-wire.md §9.5: host.closeTask/failTask carry a whole methodResponse document as a string value.</summary>
public sealed class XmlRpcTaskResultTests
{
    [Fact]
    public void FaultDocument_MatchesFailTaskTranscript_WhenComposeFailed()
    {
        var call = XmlRpcReader.ReadMethodCall(GoldenTranscripts.Request("host.failTask").Bytes);

        Assert.Equal("host.failTask", call.MethodName);
        Assert.Equal(2, call.Params[0]);
        Assert.Equal(XmlRpcWriter.FaultDocument(1005, "Compose failed (id: fake)"), Assert.IsType<string>(call.Params[1]));
    }

    [Fact]
    public void MethodResponseDocument_MatchesCloseTaskTranscript_WhenResultIsNull()
    {
        var call = XmlRpcReader.ReadMethodCall(GoldenTranscripts.Request("host.closeTask").Bytes);

        Assert.Equal(3, call.Params[0]);
        Assert.Equal(XmlRpcWriter.MethodResponseDocument(null), Assert.IsType<string>(call.Params[1]));
    }

    [Fact]
    public void FaultDocument_ThrowsBuildError_WhenReadBack()
    {
        string document = XmlRpcWriter.FaultDocument(1005, "Compose failed (id: fake)");

        var fault = Assert.Throws<KojiBuildErrorFault>(() => XmlRpcReader.ReadMethodResponse(document));
        Assert.Equal("BuildError (fault 1005): Compose failed (id: fake)", fault.Message);
    }

    [Fact]
    public void MethodResponseDocument_StartsWithXmlDeclaration_WhenResultIsStruct()
    {
        // The hub treats a result not starting with "<?xml" as base64 (koji Task.getResult) and fails closeTask.
        var result = new XmlRpcStruct
        {
            ["composer"] = new XmlRpcStruct { ["server"] = "https://kojicomposer.example.com", ["id"] = "29381a43-333f-4093-b144-bf7f4a892372" },
            ["koji"] = new XmlRpcStruct { ["build"] = 1 },
        };

        string document = XmlRpcWriter.MethodResponseDocument(result);

        Assert.StartsWith("<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><struct>\n", document, StringComparison.Ordinal);
        var back = Assert.IsType<XmlRpcStruct>(XmlRpcReader.ReadMethodResponse(document));
        Assert.Equal(1, Assert.IsType<XmlRpcStruct>(back["koji"])["build"]);

        // Sent as a string param, it is escaped once more and comes back unchanged.
        string call = XmlRpcTestDocuments.EncodeCall("host.closeTask", 7, document);
        Assert.Contains("&lt;?xml version='1.0'?&gt;\n&lt;methodResponse&gt;", call, StringComparison.Ordinal);
        Assert.Equal(document, XmlRpcReader.ReadMethodCall(call).Params[1]);
    }
}
