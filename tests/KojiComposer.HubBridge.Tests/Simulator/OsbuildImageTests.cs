using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubBridge.Tests.Simulator;

/// <summary>The hub plugin's osbuildImage (osbuildimage-task.md §1, §2.4): checks and the task it creates.</summary>
public sealed class OsbuildImageTests
{
    [Fact]
    public async Task OsbuildImage_CreatesAFreeTaskInChannelImage_OwnedByTheCaller()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var releng = await site.LoginUserAsync();

        var id = await SimulatorSite.SubmitAsync(releng, imageType: new object?[] { "qcow2" }, opts: new XmlRpcStruct { ["release"] = "20250101.n.0" });
        var info = await releng.GetTaskInfoAsync(id, request: true);

        Assert.Equal((KojiTaskState.Free, "osbuildImage", 7L, "noarch", 20), (info!.State, info.Method, info.ChannelId, info.Arch, info.Priority));
        Assert.Equal((site.Simulated.Releng.Id, (long?)null, (long?)null, 1.0), (info.Owner, info.HostId, info.Parent, info.Weight));
        Assert.Equal("qcow2", info.Request![3]);
        Assert.Equal("20250101.n.0", ((XmlRpcStruct)info.Request[6]!)["release"]);
        Assert.Equal(info.Request, await releng.GetTaskRequestAsync(id));
    }

    [Fact]
    public async Task OsbuildImage_NeedsThePermissionImage()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await site.LoginContentGeneratorAsync();
        using var anonymous = new KojiHubConnection(site.Simulated.ClientOptions());

        var user = await Assert.ThrowsAsync<KojiActionNotAllowedFault>(() => SimulatorSite.SubmitAsync(cg));
        var nobody = await Assert.ThrowsAsync<KojiActionNotAllowedFault>(() => anonymous.CallAsync(KojiCall.Write(
            "osbuildImage", "n", "v", "d", "qcow2", "t", new object?[] { "x86_64" }, KojiKeywordArguments.Of(("opts", new XmlRpcStruct())))));

        Assert.Equal("image permission required (logged in as osbuild-cg)", user.FaultString);
        Assert.Equal("image permission required (user not logged in)", nobody.FaultString);
        Assert.Empty(site.Read(s => s.Tasks.Values.ToList()));
    }

    public static TheoryData<object?, object?, XmlRpcStruct?, string> Invalid => new()
    {
        { "qcow2", new object?[] { "x86_64" }, null, "None is not of type 'object'" },
        { "qcow2", Array.Empty<object?>(), new XmlRpcStruct(), "[] is too short" },
        { new object?[] { "a", "b" }, new object?[] { "x86_64" }, new XmlRpcStruct(), "['a', 'b'] is too long" },
        { "qcow2", new object?[] { "x86_64" }, new XmlRpcStruct { ["scratch"] = true }, "Additional properties are not allowed ('scratch' was unexpected)" },
        { "qcow2", new object?[] { "x86_64" }, new XmlRpcStruct { ["release"] = 1 }, "1 is not of type 'string'" },
        { "qcow2", new object?[] { "x86_64" }, new XmlRpcStruct { ["skip_tag"] = "yes" }, "'yes' is not of type 'boolean'" },
        { "qcow2", new object?[] { "x86_64" }, new XmlRpcStruct { ["repo"] = new object?[] { new XmlRpcStruct { ["package_sets"] = new object?[] { "x" } } } }, "'baseurl' is a required property" },
        { "qcow2", new object?[] { "x86_64" }, new XmlRpcStruct { ["upload_options"] = new XmlRpcStruct { ["region"] = "r", ["public"] = true } }, "{'region': 'r', 'public': True} is not valid under any of the given schemas" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task OsbuildImage_RefusesArgumentsTheSchemaRejects_WithJsonschemasFirstLine(object? imageType, object? arches, XmlRpcStruct? opts, string firstLine)
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var releng = await site.LoginUserAsync();

        var fault = await Assert.ThrowsAsync<KojiParameterErrorFault>(() => releng.CallAsync(KojiCall.Write(
            "osbuildImage", "Fedora-Cloud", "42", "fedora-42", imageType, "f42-candidate", arches, KojiKeywordArguments.Of(("opts", opts)))));

        Assert.Equal(firstLine, fault.FaultString.Split('\n')[0]);
        Assert.Contains("\n\nFailed validating ", fault.FaultString, StringComparison.Ordinal);
        Assert.Empty(site.Read(s => s.Tasks.Values.ToList()));
    }

    [Fact]
    public async Task OsbuildImage_AcceptsOptsPositionally_AndRefusesNegativePriorityForNonAdmins()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var releng = await site.LoginUserAsync();
        object?[] args = ["Fedora-Cloud", "42", "fedora-42", "qcow2", "f42-candidate", new object?[] { "x86_64" }, new XmlRpcStruct()];

        var positional = await releng.CallAsync(KojiCall.Write("osbuildImage", args));
        var priority = await Assert.ThrowsAsync<KojiActionNotAllowedFault>(() => releng.CallAsync(KojiCall.Write("osbuildImage", [.. args, -1])));

        Assert.Equal(TaskState.Free, site.TaskRow(Convert.ToInt64(positional, System.Globalization.CultureInfo.InvariantCulture)).State);
        Assert.Equal("only admins may create high-priority tasks", priority.FaultString);
    }
}
