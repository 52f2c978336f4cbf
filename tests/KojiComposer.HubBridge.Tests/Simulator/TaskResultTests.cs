using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubBridge.Tests.Simulator;

/// <summary>Finishing tasks and reading their results back (koji-wire.md §9.5).</summary>
public sealed class TaskResultTests
{
    private static KojiCall GetTaskResult(long id, bool raiseFault) =>
        KojiCall.Read("getTaskResult", id, KojiKeywordArguments.Of(("raise_fault", raiseFault)));

    [Fact]
    public async Task CloseTask_StoresTheStructResult_ThatGetTaskResultReturns()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        await using var releng = await site.LoginUserAsync();
        var id = await site.OpenTaskAsync(host, releng);
        var result = new XmlRpcStruct
        {
            ["composer"] = new XmlRpcStruct { ["server"] = "https://kojicomposer.example.com", ["id"] = "29381a43-333f-4093-b144-bf7f4a892372" },
            ["koji"] = new XmlRpcStruct { ["build"] = 1 },
        };

        var unfinished = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => releng.GetTaskResultAsync(id));
        site.Clock.Advance(TimeSpan.FromSeconds(30));
        await host.CloseTaskAsync(id, result);
        var stored = Assert.IsType<XmlRpcStruct>(await releng.GetTaskResultAsync(id));

        Assert.Equal($"Task {id} is not finished", unfinished.FaultString);
        Assert.Equal("29381a43-333f-4093-b144-bf7f4a892372", ((XmlRpcStruct)stored["composer"]!)["id"]);
        Assert.Equal(1, ((XmlRpcStruct)stored["koji"]!)["build"]);
        var info = await releng.GetTaskInfoAsync(id);
        Assert.Equal(KojiTaskState.Closed, info!.State);
        Assert.Equal("2026-11-26 01:00:30.000000+00:00", info.Raw["completion_time"]);
        Assert.StartsWith("<?xml version='1.0'?>\n<methodResponse>\n<params>", site.TaskRow(id).Result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailTask_WithABuildError_MakesGetTaskResultRaiseItWithTheSameText()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        await using var releng = await site.LoginUserAsync();
        var id = await site.OpenTaskAsync(host, releng);

        await host.FailTaskAsync(id, KojiFaults.BuildError, "Compose failed (id: 0f1e2d3c)");
        var raised = await Assert.ThrowsAsync<KojiBuildErrorFault>(() => releng.GetTaskResultAsync(id));
        var returned = Assert.IsType<XmlRpcStruct>(await releng.CallAsync(GetTaskResult(id, raiseFault: false)));

        Assert.Equal("Compose failed (id: 0f1e2d3c)", raised.FaultString);
        Assert.Equal((1005, "Compose failed (id: 0f1e2d3c)"), (returned["faultCode"], returned["faultString"]));
        Assert.Equal(TaskState.Failed, site.TaskRow(id).State);
    }

    [Fact]
    public async Task SecondCloseOrFail_IsRefused_BecauseTheHostNoLongerOwnsTheTask()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        await using var releng = await site.LoginUserAsync();
        var id = await site.OpenTaskAsync(host, releng);
        await host.FailTaskAsync(id, KojiFaults.BuildError, "Compose failed (id: fake)");

        var close = await Assert.ThrowsAsync<KojiActionNotAllowedFault>(() => host.CloseTaskAsync(id, null));
        var fail = await Assert.ThrowsAsync<KojiActionNotAllowedFault>(() => host.FailTaskAsync(id, 1005, "again"));

        var expected = $"host {site.Simulated.Builder1.Id} does not own task {id}";
        Assert.Equal((expected, expected), (close.FaultString, fail.FaultString));
        Assert.Equal(TaskState.Failed, site.TaskRow(id).State);
    }

    public static TheoryData<string, string> MalformedResults => new()
    {
        { "{\"koji\": {\"build\": 1}}", "<class 'binascii.Error'>: Incorrect padding" },
        { "<methodResponse>\n<params>\n<param>\n<value><struct>\n<member>\n<name>koji</name>\n<value><struct>\n<member>\n<name>build</name>\n<value><int>1</int></value>\n</member>\n</struct></value>\n</member>\n</struct></value>\n</param>\n</params>\n</methodResponse>\n",
          "<class 'binascii.Error'>: Invalid base64-encoded string: number of data characters (173) cannot be 1 more than a multiple of 4" },
        { "  \n" + XmlRpcWriter.MethodResponseDocument(1), "<class 'xml.parsers.expat.ExpatError'>: XML or text declaration not at start of entity: line 2, column 0" },
    };

    [Theory]
    [MemberData(nameof(MalformedResults))]
    public async Task CloseTask_RefusesAResultThatIsNoMethodResponseDocument_AndTheTaskStaysOpen(string response, string fault)
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        await using var releng = await site.LoginUserAsync();
        var id = await site.OpenTaskAsync(host, releng);

        var refused = await Assert.ThrowsAsync<KojiHubInternalFault>(() => host.CallAsync(KojiCall.Write("host.closeTask", id, response)));
        var notFinished = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => releng.GetTaskResultAsync(id));

        Assert.Equal(fault, refused.FaultString);
        Assert.Equal(TaskState.Open, site.TaskRow(id).State);
        Assert.Equal($"Task {id} is not finished", notFinished.FaultString);
    }

    [Fact]
    public async Task CloseTask_RefusesAStructInsteadOfAString_AndAcceptsBase64OfADocument()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        await using var releng = await site.LoginUserAsync();
        var id = await site.OpenTaskAsync(host, releng);
        var result = new XmlRpcStruct { ["koji"] = new XmlRpcStruct { ["build"] = 1 } };

        var refused = await Assert.ThrowsAsync<KojiHubInternalFault>(() => host.CallAsync(KojiCall.Write("host.closeTask", id, result)));
        var state = site.TaskRow(id).State;
        var base64 = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(XmlRpcWriter.MethodResponseDocument(result)));
        await host.CallAsync(KojiCall.Write("host.closeTask", id, base64));

        Assert.Equal("<class 'psycopg2.ProgrammingError'>: can't adapt type 'dict'", refused.FaultString);
        Assert.Equal(TaskState.Open, state);
        var stored = Assert.IsType<XmlRpcStruct>(await releng.GetTaskResultAsync(id));
        Assert.Equal(1, ((XmlRpcStruct)stored["koji"]!)["build"]);
    }

    [Fact]
    public async Task FailTask_StoresANonXmlResultUnparsed_AndEveryGetTaskResultRaisesIncorrectPadding()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        await using var releng = await site.LoginUserAsync();
        var id = await site.OpenTaskAsync(host, releng);

        await host.CallAsync(KojiCall.Write("host.failTask", id, "{\"koji\": {\"build\": 1}}"));
        var raised = await Assert.ThrowsAsync<KojiHubInternalFault>(() => releng.GetTaskResultAsync(id));
        var raisedAnyway = await Assert.ThrowsAsync<KojiHubInternalFault>(() => releng.CallAsync(GetTaskResult(id, raiseFault: false)));

        Assert.Equal(TaskState.Failed, site.TaskRow(id).State);
        Assert.Equal("<class 'binascii.Error'>: Incorrect padding", raised.FaultString);
        Assert.Equal("<class 'binascii.Error'>: Incorrect padding", raisedAnyway.FaultString);
    }

    [Fact]
    public async Task FailTask_WithAResultDocument_LeavesTheTaskFailed_WhileGetTaskResultReturnsTheValue()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        await using var releng = await site.LoginUserAsync();
        var id = await site.OpenTaskAsync(host, releng);

        await host.CallAsync(KojiCall.Write("host.failTask", id, XmlRpcWriter.MethodResponseDocument(new XmlRpcStruct { ["koji"] = new XmlRpcStruct { ["build"] = 1 } })));

        Assert.Equal(KojiTaskState.Failed, (await releng.GetTaskInfoAsync(id))!.State);
        var value = Assert.IsType<XmlRpcStruct>(await releng.GetTaskResultAsync(id));
        Assert.Equal(1, ((XmlRpcStruct)value["koji"]!)["build"]);
    }

    [Fact]
    public async Task GetTaskResult_OfACancelledTask_SaysItIsCanceled()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var releng = await site.LoginUserAsync();
        var id = await SimulatorSite.SubmitAsync(releng);
        await releng.CancelTaskAsync(id);

        var fault = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => releng.GetTaskResultAsync(id));

        Assert.Equal($"Task {id} is canceled", fault.FaultString);
    }
}
