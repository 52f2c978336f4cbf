using KojiComposer.HubSimulator.State;
using KojiComposer.Testing;
using KojiComposer.Testing.Site;

namespace KojiComposer.Intake.Tests;

/// <summary>
/// A restart of kojicomposerd at each step of a task neither loses the task nor starts a second compose for it
/// (issue 5, "restart safety"): each test stops the service at one point, starts it again on the same store, and
/// checks that the task closes with exactly one reservation, one import and one tagging.
/// </summary>
public sealed class RestartTests
{
    [Fact]
    public async Task TaskSubmittedWhileTheServiceIsDown_IsTakenWhenItStarts()
    {
        await using var site = await IntakeSite.StartAsync();
        await site.StopServiceAsync();

        var task = await site.SubmitAsync(["x86_64"]);
        await site.StartServiceAsync();

        await AssertClosedOnceAsync(site, task);
    }

    [Fact]
    public async Task RestartAfterOpen_BeforeTheCompose_ResumesTheTask()
    {
        await using var site = await IntakeSite.StartAsync();
        site.Hub.FailRpcWithStatus = method => method == "getBuildTarget" ? 503 : null;

        var task = await site.SubmitAsync(["x86_64"]);
        await site.WaitForTaskAsync(task, states: TaskState.Open);
        await site.WaitUntilAsync(() => site.Logs.Lines.Any(l => l.Contains("could not resolve the request", StringComparison.Ordinal)), "the task tries to resolve its target");
        await site.StopServiceAsync();
        site.Hub.FailRpcWithStatus = null;
        await site.StartServiceAsync();

        await AssertClosedOnceAsync(site, task);
    }

    [Fact]
    public async Task RestartDuringTheBuild_FinishesTheSameCompose()
    {
        await using var site = await IntakeSite.StartAsync(osbuild: new Dictionary<string, string>
        {
            ["OSBUILD_STANDIN_SCENARIO"] = "slow",
            ["OSBUILD_STANDIN_SLOW_SECONDS"] = "3",
        });

        var task = await site.SubmitAsync(["x86_64", "aarch64"]);
        await site.WaitUntilAsync(() => site.TaskOutputs(task).Contains("compose-status.json") && site.TaskOutput(task, "compose-status.json").Contains("\"building\"", StringComparison.Ordinal), "an image builds");
        await site.StopServiceAsync();
        await site.StartServiceAsync();

        await AssertClosedOnceAsync(site, task);
    }

    [Fact]
    public async Task RestartDuringTheUpload_FinishesTheSameCompose()
    {
        await using var site = await IntakeSite.StartAsync();
        // The image file's upload into the CG directory is held on the hub while the service stops.
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        site.Hub.HoldUpload = async request =>
        {
            if (request.Directory.StartsWith("osbuild-cg/", StringComparison.Ordinal) && request.Name.EndsWith(".qcow2", StringComparison.Ordinal) && held.TrySetResult())
            {
                await release.Task;
            }
        };

        var task = await site.SubmitAsync(["x86_64"]);
        await held.Task.WaitAsync(TimeSpan.FromSeconds(120));
        var stopping = site.StopServiceAsync();
        await site.WaitUntilAsync(() => site.Logs.Lines.Any(l => l.Contains("Stopped", StringComparison.Ordinal)) || stopping.IsCompleted, "the service stops while its upload is held");
        release.SetResult();
        await stopping;
        site.Hub.HoldUpload = null;
        await site.StartServiceAsync();

        await AssertClosedOnceAsync(site, task);
    }

    [Fact]
    public async Task RestartBeforeTheImport_ImportsOnce()
    {
        await using var site = await IntakeSite.StartAsync();
        site.Hub.FailRpcWithStatus = method => method == "CGImport" ? 503 : null;

        var task = await site.SubmitAsync(["x86_64"]);
        await site.WaitUntilAsync(() => site.Logs.Lines.Any(l => l.Contains("CGImport", StringComparison.Ordinal)), "the import is tried");
        await site.StopServiceAsync();
        site.Hub.FailRpcWithStatus = null;
        await site.StartServiceAsync();

        await AssertClosedOnceAsync(site, task);
    }

    [Fact]
    public async Task RestartAfterTheImport_BeforeTheClose_ClosesTheTaskWithTheSameBuild()
    {
        await using var site = await IntakeSite.StartAsync();
        long task = 0;
        // Only the parent's close fails: the tagBuild subtask closes, so the build is imported and tagged first.
        site.Hub.FailRpcWithStatus = method => method == "host.closeTask" && site.Read(s => s.Children(task).Any(c => c.State == TaskState.Closed)) ? 503 : null;

        task = await site.SubmitAsync(["x86_64"]);
        await KojiTaskEndToEndTests.WaitForBuildAsync(site, BuildState.Complete);
        await site.WaitUntilAsync(() => site.Logs.Lines.Any(l => l.Contains("host.closeTask attempt", StringComparison.Ordinal)), "the close is tried");
        await site.StopServiceAsync();
        site.Hub.FailRpcWithStatus = null;
        await site.StartServiceAsync();

        await AssertClosedOnceAsync(site, task);
    }

    [Fact]
    public async Task ServiceKilledWithSigkillMidBuild_IsTakenOverByTheNextStart_WhichClosesTheTask()
    {
        await using var site = await IntakeSite.StartAsync(
            osbuild: new Dictionary<string, string> { ["OSBUILD_STANDIN_SCENARIO"] = "slow", ["OSBUILD_STANDIN_SLOW_SECONDS"] = "3" },
            startService: false);
        using var child = await site.StartChildServiceAsync();

        var task = await site.SubmitAsync(["x86_64"]);
        await site.WaitUntilAsync(() => site.TaskOutputs(task).Contains("compose-status.json") && site.TaskOutput(task, "compose-status.json").Contains("\"building\"", StringComparison.Ordinal), "the image builds");
        // No shutdown code runs: the dead process's session keeps the host's exclusivity, and its task stays OPEN.
        child.Kill(entireProcessTree: true);
        await child.WaitForExitAsync();
        await site.StartServiceAsync();

        await AssertClosedOnceAsync(site, task);
    }

    private static async Task AssertClosedOnceAsync(IntakeSite site, long task)
    {
        var row = await site.WaitForTaskAsync(task);
        Assert.Equal(TaskState.Closed, row.State);
        var build = Assert.Single(site.Read(s => s.Builds.Values.ToList()));
        Assert.Equal(BuildState.Complete, build.State);
        Assert.Equal(build.Id, Assert.Single(site.Read(s => s.TagHistory.Where(l => l.BuildId == build.Id).ToList())).BuildId);
        Assert.Single(site.Read(s => s.Children(task).ToList()));
        var composes = await site.GetJsonAsync("/api/image-builder-composer/v2/composes/");
        Assert.Single(composes["items"]!.AsArray());
    }
}
