using System.Text;
using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Uploads;
using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.HubBridge.Tests.Simulator;

/// <summary>The whole call trace of one successful task (koji-wire.md §11), host, CG user and tagging together.</summary>
public sealed class EndToEndTraceTests
{
    [Fact]
    public async Task OneSuccessfulTask_EndsClosedWithTheBuildImportedAndTagged()
    {
        await using var site = await SimulatorSite.StartAsync();
        site.Seed(s => s.AddPackage("f42", "Fedora-Cloud", "releng"));
        await using var releng = await site.LoginUserAsync();
        await using var host = await site.LoginHostAsync();

        // host loop: getHostTasks → updateHost → getTasks; task: getTaskInfo → openTask → setTaskWeight
        Assert.Empty(await host.GetHostTasksAsync());
        await SimulatorSite.CheckInAsync(host);
        var id = await SimulatorSite.SubmitAsync(releng);
        Assert.Equal(id, Assert.Single(await host.GetAssignedTasksAsync()).Id);
        var request = (await host.GetTaskInfoAsync(id, request: true))!.Request!;
        Assert.NotNull(await host.OpenTaskAsync(id));
        await host.SetTaskWeightAsync(id, 0.2);
        var target = await host.GetBuildTargetAsync((string)request[4]!, strict: true);
        var config = await host.GetBuildConfigAsync(target!.BuildTag);
        var repo = await host.GetCurrentRepoAsync(target.BuildTag);
        var release = await host.GetNextReleaseAsync((string)request[0]!, (string)request[1]!);
        var outputDir = KojiPaths.TaskOutputDirectory(id);
        await host.UploadAsync(new MemoryStream("{}"u8.ToArray()), outputDir, "compose-request.json");

        // CG user: reserve, upload, import
        await using var cg = await ContentGeneratorScenario.StartAsync(site, id);
        await cg.UploadImageAndLogAsync();
        var build = await cg.ImportAsync(cg.Metadata(id));
        await host.UploadAsync(new MemoryStream(Encoding.UTF8.GetBytes("{\"status\": \"success\"}")), outputDir, "compose-status.json");

        // tagBuild subtask, run by us on the next scheduler run
        var sub = await host.SubtaskAsync("tagBuild", [target.DestTag, build.Id, false, null, true], id, "tag");
        await host.TaskSetWaitAsync(id, [sub]);
        site.Clock.Advance(TimeSpan.FromSeconds(60));
        await host.UpdateHostAsync(0.0, ready: true);
        Assert.Equal(sub, Assert.Single(await host.GetAssignedTasksAsync()).Id);
        await host.OpenTaskAsync(sub);
        await host.HostTagBuildAsync(sub, target.DestTag, build.Id);
        await host.TagNotificationAsync(true, target.DestTag, null, build.Id, site.Simulated.Releng.Id);
        await host.CloseTaskAsync(sub, null);
        Assert.Equal([sub], (await host.TaskWaitAsync(id)).Finished);
        Assert.Equal([(sub, (object?)null)], await host.TaskWaitResultsAsync(id, [sub]));
        await host.CloseTaskAsync(id, new XmlRpcStruct
        {
            ["composer"] = new XmlRpcStruct { ["server"] = "https://kojicomposer.example.com", ["id"] = "43e57e63-ab32-4a8d-854d-3bbc117fdce3" },
            ["koji"] = new XmlRpcStruct { ["build"] = build.Id },
        });

        Assert.Equal(("x86_64 aarch64", site.Repo.Id, "1"), (config.Arches, repo!.Id, release));
        var result = (XmlRpcStruct)(await releng.GetTaskResultAsync(id))!;
        Assert.Equal((int)build.Id, ((XmlRpcStruct)result["koji"]!)["build"]);
        var imported = await releng.GetBuildAsync(build.Id);
        Assert.Equal((KojiBuildState.Complete, (long?)id), (imported!.State, imported.TaskId));
        Assert.Equal(["compose-request.json", "compose-status.json"], await releng.ListTaskOutputAsync(id));
        Assert.Contains(site.Read(s => s.TagHistory.ToList()), l => l.TagId == site.DestTag.Id && l.BuildId == build.Id && l.Active);
        Assert.Equal(KojiTaskState.Closed, (await releng.GetTaskInfoAsync(sub))!.State);
        Assert.Empty(await host.GetHostTasksAsync());
    }
}
