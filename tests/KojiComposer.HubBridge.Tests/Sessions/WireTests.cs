using System.Text;
using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Tests.XmlRpc.Golden;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.Testing.Hub;

namespace KojiComposer.HubBridge.Tests.Sessions;

/// <summary>
/// Our typed calls put on the wire exactly the bytes koji's own client sends for the same call, as recorded against a
/// stock hub (spec observed/koji-hub-transcripts.txt).
/// </summary>
public sealed class WireTests
{
    private static async Task<string> SentBodyAsync(SimulatedHub hub, string method, Func<Task> call, int index = 0)
    {
        try
        {
            await call();
        }
        catch (KojiException)
        {
            // The hub's answer does not matter here, only what we sent.
        }

        return Encoding.UTF8.GetString(hub.Hub.CallsTo(method)[index].Body);
    }

    [Fact]
    public async Task HostCalls_AreByteIdenticalToKojisClient()
    {
        await using var hub = await SimulatedHub.StartAsync();
        await using var host = await hub.LoginAsync(SimulatedHub.HostIdentity, exclusive: true, force: true);

        Assert.Equal(GoldenTranscripts.Request("exclusiveSession").Text, Encoding.UTF8.GetString(hub.Hub.CallsTo("exclusiveSession")[0].Body));
        Assert.Equal(GoldenTranscripts.Request("host.updateHost").Text,
            await SentBodyAsync(hub, "host.updateHost", () => host.UpdateHostAsync(0.0, true, ["osbuildImage", "tagBuild"], 2)));
        Assert.Equal(GoldenTranscripts.Request("host.getTasks").Text,
            await SentBodyAsync(hub, "host.getTasks", () => host.GetAssignedTasksAsync()));
        Assert.Equal(GoldenTranscripts.Request("host.openTask").Text,
            await SentBodyAsync(hub, "host.openTask", () => host.OpenTaskAsync(1)));
        Assert.Equal(GoldenTranscripts.Request("host.failTask").Text,
            await SentBodyAsync(hub, "host.failTask", () => host.FailTaskAsync(2, 1005, "Compose failed (id: fake)")));
        Assert.Equal(GoldenTranscripts.Request("a fault response (getTaskResult)").Text,
            await SentBodyAsync(hub, "getTaskResult", () => host.GetTaskResultAsync(2)));
        Assert.Equal(GoldenTranscripts.Request("host.subtask").Text,
            await SentBodyAsync(hub, "host.subtask", () => host.SubtaskAsync("tagBuild", [2, 1, false, null, true], parent: 1, label: "tag")));
        Assert.Equal(GoldenTranscripts.Request("host.closeTask").Text,
            await SentBodyAsync(hub, "host.closeTask", () => host.CloseTaskAsync(3, null)));
        Assert.Equal(GoldenTranscripts.Request("checkUpload").Text,
            await SentBodyAsync(hub, "checkUpload", () => host.CheckUploadAsync("tasks/1/1", "compose-status.json")));
    }

    [Fact]
    public async Task ContentGeneratorCalls_AreByteIdenticalToKojisClient()
    {
        await using var hub = await SimulatedHub.StartAsync();
        await using var cg = await hub.LoginAsync(SimulatedHub.ContentGeneratorIdentity);
        var golden = XmlRpcReader.ReadMethodCall(GoldenTranscripts.Request("CGImport").Bytes);

        Assert.Equal(GoldenTranscripts.Request("CGInitBuild").Text,
            await SentBodyAsync(hub, "CGInitBuild", () => cg.CGInitBuildAsync("osbuild", "Fedora-Cloud", "42", "1")));
        Assert.Equal(GoldenTranscripts.Request("CGImport").Text,
            await SentBodyAsync(hub, "CGImport", () => cg.CGImportAsync((string)golden.Params[0]!, (string)golden.Params[1]!, new KojiReservation(1, (string)golden.Params[2]!))));
    }
}
