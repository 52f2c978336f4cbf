using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Tests.XmlRpc.Golden;
using KojiComposer.HubBridge.XmlRpc;
using Xunit;

namespace KojiComposer.HubBridge.Tests.XmlRpc;

/// <summary>Koji fault codes (koji-wire.md §2.3) and their exception classes.</summary>
public sealed class XmlRpcFaultMappingTests
{
    public static TheoryData<int, Type, string> Codes => new()
    {
        { 1, typeof(KojiHubInternalFault), "Fault" },
        { 1000, typeof(KojiGenericErrorFault), "GenericError" },
        { 1001, typeof(KojiLockErrorFault), "LockError" },
        { 1002, typeof(KojiAuthErrorFault), "AuthError" },
        { 1003, typeof(KojiTagErrorFault), "TagError" },
        { 1004, typeof(KojiActionNotAllowedFault), "ActionNotAllowed" },
        { 1005, typeof(KojiBuildErrorFault), "BuildError" },
        { 1006, typeof(KojiAuthLockErrorFault), "AuthLockError" },
        { 1007, typeof(KojiAuthExpiredFault), "AuthExpired" },
        { 1008, typeof(KojiSequenceErrorFault), "SequenceError" },
        { 1009, typeof(KojiRetryErrorFault), "RetryError" },
        { 1010, typeof(KojiPreBuildErrorFault), "PreBuildError" },
        { 1011, typeof(KojiPostBuildErrorFault), "PostBuildError" },
        { 1012, typeof(KojiBuildrootErrorFault), "BuildrootError" },
        { 1013, typeof(KojiFunctionDeprecatedFault), "FunctionDeprecated" },
        { 1014, typeof(KojiServerOfflineFault), "ServerOffline" },
        { 1015, typeof(KojiLiveCDErrorFault), "LiveCDError" },
        { 1016, typeof(KojiPluginErrorFault), "PluginError" },
        { 1017, typeof(KojiCallbackErrorFault), "CallbackError" },
        { 1018, typeof(KojiApplianceErrorFault), "ApplianceError" },
        { 1019, typeof(KojiParameterErrorFault), "ParameterError" },
        { 1020, typeof(KojiImportErrorFault), "ImportError" },
        { 1021, typeof(KojiConfigurationErrorFault), "ConfigurationError" },
        { 1022, typeof(KojiLiveMediaErrorFault), "LiveMediaError" },
        { 1023, typeof(KojiGSSAPIAuthErrorFault), "GSSAPIAuthError" },
        { 1024, typeof(KojiNameValidationErrorFault), "NameValidationError" },
    };

    [Theory]
    [MemberData(nameof(Codes))]
    public void Create_ReturnsKojiClass_WhenCodeIsKnown(int code, Type type, string name)
    {
        var fault = KojiFaults.Create(code, "some text");

        Assert.IsType(type, fault);
        Assert.Equal(code, fault.FaultCode);
        Assert.Equal(name, fault.FaultName);
        Assert.Equal(name, KojiFaults.NameOf(code));
        Assert.Equal("some text", fault.FaultString);
        Assert.Equal($"{name} (fault {code}): some text", fault.Message);
        Assert.Equal(code is 1014 or 1001, fault.IsTransient);
    }

    [Theory]
    [MemberData(nameof(Codes))]
    public void ReadMethodResponse_ThrowsKojiClass_WhenHubSendsFault(int code, Type type, string name)
    {
        string document = XmlRpcWriter.FaultDocument(code, $"{name} happened");

        var fault = Assert.Throws(type, () => XmlRpcReader.ReadMethodResponse(document));
        Assert.Equal($"{name} (fault {code}): {name} happened", fault.Message);
    }

    [Fact]
    public void Create_ReturnsBaseClass_WhenCodeIsUnknown()
    {
        var fault = KojiFaults.Create(4242, "who knows");

        Assert.Equal(typeof(KojiFaultException), fault.GetType());
        Assert.Equal("Fault (fault 4242): who knows", fault.Message);
        Assert.False(fault.IsTransient);
    }

    [Fact]
    public void Faults_FollowKojiHierarchy_WhenCaughtByBaseClass()
    {
        // koji/__init__.py: AuthExpired, SequenceError, RetryError... derive from AuthError; the build checks from
        // BuildError; CallbackError from PluginError; all from GenericError.
        Assert.IsAssignableFrom<KojiAuthErrorFault>(KojiFaults.Create(1007, "x"));
        Assert.IsAssignableFrom<KojiAuthErrorFault>(KojiFaults.Create(1008, "x"));
        Assert.IsAssignableFrom<KojiAuthErrorFault>(KojiFaults.Create(1023, "x"));
        Assert.IsAssignableFrom<KojiBuildErrorFault>(KojiFaults.Create(1012, "x"));
        Assert.IsAssignableFrom<KojiPluginErrorFault>(KojiFaults.Create(1017, "x"));
        Assert.IsAssignableFrom<KojiGenericErrorFault>(KojiFaults.Create(1024, "x"));
        Assert.IsNotAssignableFrom<KojiGenericErrorFault>(KojiFaults.Create(1, "x"));
        Assert.IsAssignableFrom<KojiException>(KojiFaults.Create(1, "x"));
    }

    [Fact]
    public void ReadResponse_ReturnsFault_WhenTranscriptIsGetTaskResultFault()
    {
        var response = XmlRpcReader.ReadResponse(GoldenTranscripts.Response("a fault response (getTaskResult)").Bytes);

        Assert.True(response.IsFault);
        Assert.Equal(new XmlRpcFault(1005, "Compose failed (id: fake)"), response.Fault);
        Assert.Null(response.Value);
    }

    [Fact]
    public void ReadResponse_IgnoresExtraMembers_WhenFaultHasTraceback()
    {
        string document = XmlRpcTestDocuments.Header + "<methodResponse><fault><value><struct>" +
            "<member><name>faultCode</name><value><i8>1</i8></value></member>" +
            "<member><name>faultString</name><value>&lt;class 'TypeError'&gt;: boom</value></member>" +
            "<member><name>traceback</name><value><string>Traceback…</string></value></member>" +
            "</struct></value></fault></methodResponse>";

        var fault = Assert.Throws<KojiHubInternalFault>(() => XmlRpcReader.ReadMethodResponse(document));
        Assert.Equal("<class 'TypeError'>: boom", fault.FaultString);
        Assert.False(fault.IsTransient);
    }

    [Theory]
    [InlineData("<value><string>not a struct</string></value>")]
    [InlineData("<value><struct><member><name>faultCode</name><value><string>1</string></value></member><member><name>faultString</name><value>x</value></member></struct></value>")]
    [InlineData("<value><struct><member><name>faultCode</name><value><int>1</int></value></member></struct></value>")]
    public void ReadResponse_Throws_WhenFaultValueIsMalformed(string value)
    {
        string document = $"{XmlRpcTestDocuments.Header}<methodResponse><fault>{value}</fault></methodResponse>";

        var error = Assert.Throws<XmlRpcFormatException>(() => XmlRpcReader.ReadResponse(document));
        Assert.StartsWith(
            "XML-RPC reply is not valid: the <fault> value is not a struct with an <int> faultCode and a <string> faultString at line 2, position 18",
            error.Message,
            StringComparison.Ordinal);
    }
}
