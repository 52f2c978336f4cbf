using System.Globalization;
using System.Text.Json.Nodes;
using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.State;
using KojiComposer.Testing.Site;

namespace KojiComposer.Intake.Tests;

/// <summary>
/// osbuildImage tasks from submission to the result Pungi reads, through kojicomposerd as installed (hub bridge,
/// scheduler and builder in one process on the embedded store) against the hub simulator: the acceptance vectors of
/// osbuildimage-task.md §7 adapted to our flow.
/// </summary>
public sealed class KojiTaskEndToEndTests
{
    [Fact]
    public async Task TwoArchTask_BuildsImportsTagsAndCloses_WithTheResultPungiReads()
    {
        await using var site = await IntakeSite.StartAsync();

        var task = await site.SubmitAsync(["x86_64", "aarch64"]);
        var row = await site.WaitForTaskAsync(task);

        Assert.Equal(TaskState.Closed, row.State);
        // TC-01: the hub reads of the stock builder, the default repository and the next release.
        Assert.Single(site.Hub.CallsTo("getNextRelease"));
        await using var user = await site.LoginUserAsync();
        var result = Assert.IsType<XmlRpcStruct>(await user.GetTaskResultAsync(task));
        var composer = Assert.IsType<XmlRpcStruct>(result["composer"]);
        Assert.Equal(IntakeSite.PublicUrl, composer["server"]);
        var composeId = Guid.Parse((string)composer["id"]!);
        var buildId = Convert.ToInt64(Assert.IsType<XmlRpcStruct>(result["koji"])["build"], CultureInfo.InvariantCulture);

        // Pungi: getTaskResult()["koji"]["build"] -> getBuild -> listArchives.
        var build = await user.GetBuildAsync(buildId);
        Assert.Equal((KojiBuildState.Complete, "Fedora-Cloud-42-1"), (build!.State, build.Nvr));
        var archives = await user.ListArchivesAsync(buildId);
        var images = archives.Where(a => a.TypeName == "qcow2").ToList();
        Assert.Equal(["aarch64", "x86_64"], images.Select(ImageArch).Order(StringComparer.Ordinal));
        Assert.All(images, a => Assert.Equal($"Fedora-Cloud-42-1.{ImageArch(a)}.qcow2", a.Filename));
        Assert.All(archives.Where(a => a.TypeName != "qcow2"), a => Assert.Equal("json", a.TypeName));

        // Tagged into the target's destination tag by our own tagBuild subtask.
        var sub = Assert.Single(site.Read(s => s.Children(task).ToList()));
        Assert.Equal(("tagBuild", "tag", "noarch", TaskState.Closed), (sub.Method, sub.Label, sub.Arch, sub.State));
        Assert.Equal(
            [site.DestTag.Id, buildId, false, null, true],
            sub.Request.Select(v => v is int i ? (long)i : v));
        Assert.Contains(site.Read(s => s.TagHistory.ToList()), l => l.TagId == site.DestTag.Id && l.BuildId == buildId);

        // The attachments of the stock builder, with the mapped image type in their names.
        Assert.Equal(
            ["aarch64-guest-image.log.json", "aarch64-guest-image.manifest.json", "compose-request.json", "compose-status.json",
             "koji-import.log.json", "koji-init.log.json", "x86_64-guest-image.log.json", "x86_64-guest-image.manifest.json"],
            site.TaskOutputs(task));
        var request = site.TaskJson(task, "compose-request.json");
        Assert.Equal("fedora-42", (string?)request["distribution"]);
        Assert.Equal(task, (long)request["koji"]!["task_id"]!);
        Assert.Equal(["x86_64", "aarch64"], request["image_requests"]!.AsArray().Select(i => (string)i!["architecture"]!));
        Assert.Equal(
            $"{IntakeSite.TopUrl}/repos/f42-build/{site.Repo.Id}/x86_64",
            (string?)request["image_requests"]![0]!["repositories"]![0]!["baseurl"]);
        var status = site.TaskJson(task, "compose-status.json");
        Assert.Equal("success", (string?)status["status"]);
        Assert.Equal(buildId, (long)status["koji_build_id"]!);
        Assert.Equal(task, (long)status["koji_task_id"]!);
        Assert.All(status["image_statuses"]!.AsArray(), i => Assert.Equal("success", (string?)i!["status"]));
        Assert.DoesNotContain("token", site.TaskOutput(task, "koji-init.log.json"), StringComparison.Ordinal);

        // The compose is the service's record of the same thing.
        var compose = await site.GetJsonAsync($"/api/image-builder-composer/v2/composes/{composeId}");
        Assert.Equal("success", (string?)compose["status"]);
        Assert.Equal("releng", (string?)compose["kojicomposer"]!["submitted_by"]); // the task owner, on the pages too
        Assert.Equal(task, (long)compose["kojicomposer"]!["koji_task_id"]!);
    }

    [Fact]
    public async Task UserReposReleaseAndSkipTag_AreHonoured_WithoutRepoLookupReleaseOrTagging()
    {
        await using var site = await IntakeSite.StartAsync();
        var opts = new XmlRpcStruct
        {
            ["repo"] = new object?[] { "http://1.repo/$arch/os", "https://2.repo" },
            ["release"] = "20200202.n2",
            ["skip_tag"] = true,
            ["customizations"] = new XmlRpcStruct { ["users"] = new object?[] { new XmlRpcStruct { ["name"] = "admin", ["password"] = "$6$rounds$notforkoji" } } },
        };

        var task = await site.SubmitAsync(["x86_64", "s390x"], opts);
        var row = await site.WaitForTaskAsync(task);

        Assert.True(row.State == TaskState.Closed, row.Result);
        Assert.Empty(site.Hub.CallsTo("getNextRelease"));
        Assert.Empty(site.Read(s => s.Children(task).ToList()));
        var request = site.TaskJson(task, "compose-request.json");
        Assert.Equal("20200202.n2", (string?)request["koji"]!["release"]);
        Assert.Equal(
            ["http://1.repo/s390x/os", "https://2.repo"],
            request["image_requests"]![1]!["repositories"]!.AsArray().Select(r => (string)r!["baseurl"]!));
        Assert.Contains(site.Read(s => s.Builds.Values.ToList()), b => b.Nvr == "Fedora-Cloud-42-20200202.n2" && b.State == BuildState.Complete);
        // Task outputs are world-readable: the attached request never carries the user's password.
        Assert.Equal("<redacted>", (string?)request["customizations"]!["users"]![0]!["password"]);
        Assert.All(site.TaskOutputs(task), name => Assert.DoesNotContain("notforkoji", site.TaskOutput(task, name), StringComparison.Ordinal));
    }

    [Fact]
    public async Task OneImageFailing_FailsTheTaskWithTheStage_RefundsTheBuild_AndStillAttachesEverything()
    {
        await using var site = await IntakeSite.StartAsync(osbuild: new Dictionary<string, string>
        {
            ["OSBUILD_STANDIN_SCENARIO"] = "stage-failure",
            ["OSBUILD_STANDIN_SCENARIO_MATCH"] = "/aarch64",
        });

        var task = await site.SubmitAsync(["x86_64", "aarch64"]);
        var row = await site.WaitForTaskAsync(task);

        Assert.Equal(TaskState.Failed, row.State);
        await using var user = await site.LoginUserAsync();
        var fault = await Assert.ThrowsAnyAsync<KojiFaultException>(() => user.GetTaskResultAsync(task));
        Assert.Equal(1005, fault.FaultCode);
        Assert.Matches(@"^Compose failed \(id: [0-9a-f-]{36}\): aarch64 guest-image: stage org\.osbuild\.\S+ failed: ", fault.FaultString);
        Assert.Empty(site.Read(s => s.Children(task).ToList()));
        var build = Assert.Single(site.Read(s => s.Builds.Values.ToList()));
        Assert.Equal(BuildState.Failed, build.State);
        var status = site.TaskJson(task, "compose-status.json");
        Assert.Equal("failure", (string?)status["status"]);
        Assert.Equal(build.Id, (long)status["koji_build_id"]!);
        Assert.Equal(["success", "failure"], status["image_statuses"]!.AsArray().Select(i => (string)i!["status"]!));
        Assert.Equal(10, (int)status["image_statuses"]![1]!["error"]!["id"]!);
        Assert.Contains("aarch64-guest-image.log.json", site.TaskOutputs(task));
        Assert.Contains("x86_64-guest-image.manifest.json", site.TaskOutputs(task));

        // The compose ended with its task: it is built again by resubmitting the task, not by retry-failed.
        var composeId = fault.FaultString.Substring("Compose failed (id: ".Length, 36);
        using var retry = await site.Api.PostAsync($"/api/image-builder-composer/v2/composes/{composeId}/retry-failed", null);
        Assert.False(retry.IsSuccessStatusCode);
        Assert.Contains("resubmit the task in Koji", await retry.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("riscv64", 1005, "Unsupported architecture(s): {'riscv64'}")]
    [InlineData("i686", 1005, "Unsupported architecture(s): {'i686'}")]
    public async Task UnsupportedArch_FailsTheTaskBeforeAnythingIsMade(string arch, int code, string text)
    {
        await using var site = await IntakeSite.StartAsync();

        var task = await site.SubmitAsync(["x86_64", arch]);
        await site.WaitForTaskAsync(task);

        await AssertFaultAsync(site, task, code, text);
        Assert.Empty(site.TaskOutputs(task));
        Assert.Empty(site.Hub.CallsTo("getNextRelease"));
        Assert.Empty(site.Hub.CallsTo("CGInitBuild"));
    }

    [Fact]
    public async Task UnknownTarget_FailsWithTheHubsFault()
    {
        await using var site = await IntakeSite.StartAsync();

        var task = await site.SubmitAsync(["x86_64"], target: "nope");
        await site.WaitForTaskAsync(task);

        await AssertFaultAsync(site, task, 1000, "No such build target: nope");
        Assert.Empty(site.TaskOutputs(task));
    }

    [Fact]
    public async Task BuildTagWithoutAReadyRepo_WaitsForOne_AndBuildsFromIt()
    {
        await using var site = await IntakeSite.StartAsync();
        site.Seed(s => s.Repos[site.Repo.Id].State = RepoState.Expired);

        var task = await site.SubmitAsync(["x86_64"]);
        await site.WaitUntilAsync(() => site.Logs.Lines.Any(l => l.Contains("waiting for one", StringComparison.Ordinal)), "the task waits for a repo");
        Assert.Equal(TaskState.Open, site.TaskRow(task).State);
        SimRepo? fresh = null;
        site.Seed(s => fresh = s.AddRepo("f42-build", DateTimeOffset.UtcNow)); // kojira made it
        var row = await site.WaitForTaskAsync(task);

        Assert.Equal(TaskState.Closed, row.State);
        Assert.Equal(
            $"{IntakeSite.TopUrl}/repos/f42-build/{fresh!.Id}/x86_64",
            (string?)site.TaskJson(task, "compose-request.json")["image_requests"]![0]!["repositories"]![0]!["baseurl"]);
    }

    [Fact]
    public async Task BuildTagWithoutAReadyRepo_FailsOnceTheWaitIsOver_SayingHowLongItWaited()
    {
        await using var site = await IntakeSite.StartAsync(hostToml: "repo_wait_minutes = 0");
        site.Seed(s => s.Repos[site.Repo.Id].State = RepoState.Expired);

        var task = await site.SubmitAsync(["x86_64"]);
        await site.WaitForTaskAsync(task);

        await AssertFaultAsync(site, task, 1005, "No repo available for tag 'f42-build' (waited 0 minutes for one)");
        Assert.Empty(site.TaskOutputs(task));
    }

    [Fact]
    public async Task BadPlaceholder_FailsBeforeAnyUpload()
    {
        await using var site = await IntakeSite.StartAsync();

        var task = await site.SubmitAsync(["x86_64"], new XmlRpcStruct { ["repo"] = new object?[] { "https://r/$basearch" } });
        await site.WaitForTaskAsync(task);

        var fault = await AssertFaultAsync(site, task, 1005, null);
        Assert.StartsWith("Invalid placeholder in 'https://r/$basearch': ", fault.FaultString, StringComparison.Ordinal);
        Assert.Empty(site.TaskOutputs(task));
    }

    [Fact]
    public async Task ComposeCreationRejected_FailsWithTheCloudApiError_AndOnlyTheRequestAttached()
    {
        await using var site = await IntakeSite.StartAsync();

        var task = await site.SubmitAsync(["x86_64"], imageType: "no-such-type");
        await site.WaitForTaskAsync(task);

        var fault = await AssertFaultAsync(site, task, 1000, null);
        Assert.StartsWith("Failed to create the compose request: {", fault.FaultString, StringComparison.Ordinal);
        var error = JsonNode.Parse(fault.FaultString["Failed to create the compose request: ".Length..])!;
        Assert.Equal("IMAGE-BUILDER-COMPOSER-6", (string?)error["code"]);
        Assert.Equal(["compose-request.json"], site.TaskOutputs(task));
        Assert.Empty(site.Hub.CallsTo("CGInitBuild"));
    }

    [Fact]
    public async Task CanceledInKoji_StopsTheBuild_RefundsAsCanceled_AndWritesNoResult()
    {
        await using var site = await IntakeSite.StartAsync(osbuild: new Dictionary<string, string>
        {
            ["OSBUILD_STANDIN_SCENARIO"] = "slow",
            ["OSBUILD_STANDIN_SLOW_SECONDS"] = "600",
        });

        var task = await site.SubmitAsync(["x86_64"]);
        await site.WaitUntilAsync(() => site.TaskOutputs(task).Contains("compose-status.json") && site.TaskOutput(task, "compose-status.json").Contains("\"building\"", StringComparison.Ordinal), "the image builds");
        await using (var user = await site.LoginUserAsync())
        {
            await user.CancelTaskAsync(task);
        }

        var build = await WaitForBuildAsync(site, BuildState.Canceled);
        Assert.Equal(TaskState.Canceled, site.TaskRow(task).State);
        Assert.Equal("Fedora-Cloud-42-1", build.Nvr);
        var record = site.Read(s => s.Tasks[task]);
        Assert.Null(record.Result);
        var composes = await site.GetJsonAsync("/api/image-builder-composer/v2/composes/");
        var id = (string)composes["items"]![0]!["id"]!;
        string? state = null;
        for (var tries = 0; tries < 600 && state != "canceled"; tries++)
        {
            state = (string?)(await site.GetJsonAsync($"/api/image-builder-composer/v2/composes/{id}"))["kojicomposer"]!["state"];
            await Task.Delay(state == "canceled" ? 0 : 100);
        }

        Assert.Equal("canceled", state);
        // The dashboard's compose page says so too (what people watching it see).
        var page = await site.Api.GetStringAsync($"/hangfire/composes/{id}");
        Assert.Contains("canceled", page, StringComparison.Ordinal);
        Assert.Contains("Fedora-Cloud-42-1", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ComposeCanceledOnOurApi_FailsTheKojiTaskSayingSo_AndRefundsTheBuildAsCanceled()
    {
        await using var site = await IntakeSite.StartAsync(osbuild: new Dictionary<string, string>
        {
            ["OSBUILD_STANDIN_SCENARIO"] = "slow",
            ["OSBUILD_STANDIN_SLOW_SECONDS"] = "600",
        });

        var task = await site.SubmitAsync(["x86_64"]);
        await site.WaitUntilAsync(() => site.TaskOutputs(task).Contains("compose-status.json") && site.TaskOutput(task, "compose-status.json").Contains("\"building\"", StringComparison.Ordinal), "the image builds");
        var composes = await site.GetJsonAsync("/api/image-builder-composer/v2/composes/");
        var composeId = (string)Assert.Single(composes["items"]!.AsArray())!["id"]!;
        using (var cancel = await site.Api.PostAsync($"/api/image-builder-composer/v2/composes/{composeId}/cancel", null))
        {
            Assert.True(cancel.IsSuccessStatusCode, $"cancel: HTTP {(int)cancel.StatusCode} {await cancel.Content.ReadAsStringAsync()}");
        }

        await site.WaitForTaskAsync(task);
        await AssertFaultAsync(site, task, 1005, $"Compose failed (id: {composeId}): canceled on KojiComposer");
        var build = Assert.Single(site.Read(s => s.Builds.Values.ToList()));
        Assert.Equal(BuildState.Canceled, build.State);
        Assert.Equal("failure", (string?)site.TaskJson(task, "compose-status.json")["status"]);
    }

    [Fact]
    public async Task HubAnswersNotXmlRpcForAWhile_DuringTheTask_IsWaitedOut_NotTheTasksFailure()
    {
        await using var site = await IntakeSite.StartAsync();
        // A proxy in front of the hub answering 404 during a redeploy: our problem, not the task's. The request's
        // reads (on the host's master session) and the tagging both meet it.
        var reads = 0;
        var waits = 0;
        site.Hub.FailRpcWithStatus = method => method switch
        {
            "getBuildTarget" when Interlocked.Increment(ref reads) <= 3 => 404,
            "host.taskWaitResults" when Interlocked.Increment(ref waits) <= 3 => 404,
            _ => null,
        };

        var task = await site.SubmitAsync(["x86_64"]);
        var row = await site.WaitForTaskAsync(task);

        Assert.True(row.State == TaskState.Closed, $"task {row.State}: {row.Result}");
        Assert.True(Volatile.Read(ref reads) > 3 && Volatile.Read(ref waits) > 3, $"getBuildTarget {reads}, host.taskWaitResults {waits} calls");
        var sub = Assert.Single(site.Read(s => s.Children(task).ToList()));
        Assert.Equal(TaskState.Closed, sub.State);
    }

    [Fact]
    public async Task TaskTakenByAnotherHost_CancelsOurCompose_AndWritesNothingToTheTask()
    {
        await using var site = await IntakeSite.StartAsync(osbuild: new Dictionary<string, string>
        {
            ["OSBUILD_STANDIN_SCENARIO"] = "slow",
            ["OSBUILD_STANDIN_SLOW_SECONDS"] = "600",
        });

        var task = await site.SubmitAsync(["x86_64"]);
        await site.WaitUntilAsync(() => site.TaskOutputs(task).Contains("compose-status.json") && site.TaskOutput(task, "compose-status.json").Contains("\"building\"", StringComparison.Ordinal), "the image builds");
        // The hub gave the task to builder2 (as it does after 15 silent minutes, or an admin moving it).
        site.Seed(s => s.Tasks[task].HostId = site.Simulated.Builder2.Id);

        var build = await WaitForBuildAsync(site, BuildState.Canceled);

        Assert.Equal("Fedora-Cloud-42-1", build.Nvr);
        var row = site.TaskRow(task);
        Assert.Equal((TaskState.Open, (long?)site.Simulated.Builder2.Id, (string?)null), (row.State, row.HostId, row.Result));
    }

    [Fact]
    public async Task StockCliSubmission_IsStoredAsTheStockHubStoresIt_AndHandled()
    {
        await using var site = await IntakeSite.StartAsync();

        // What `koji osbuild-image Fedora-Cloud 42 fedora-42 f42-candidate x86_64` sends (observed transcript).
        var task = await site.SubmitAsync(["x86_64"]);
        var row = await site.WaitForTaskAsync(task);

        Assert.Equal(ObservedTranscripts.OsbuildImageRequestXml, row.RequestXml);
        Assert.Equal(TaskState.Closed, row.State);
    }

    internal static string ImageArch(KojiArchiveInfo archive) =>
        (string)((XmlRpcStruct)((XmlRpcStruct)archive.Extra!)["image"]!)["arch"]!;

    internal static async Task<KojiFaultException> AssertFaultAsync(IntakeSite site, long task, int code, string? text)
    {
        Assert.Equal(TaskState.Failed, site.TaskRow(task).State);
        await using var user = await site.LoginUserAsync();
        var fault = await Assert.ThrowsAnyAsync<KojiFaultException>(() => user.GetTaskResultAsync(task));
        Assert.Equal(code, fault.FaultCode);
        if (text is not null)
        {
            Assert.Equal(text, fault.FaultString);
        }

        return fault;
    }

    internal static async Task<SimBuild> WaitForBuildAsync(IntakeSite site, BuildState state)
    {
        SimBuild? build = null;
        await site.WaitUntilAsync(() => (build = site.Read(s => s.Builds.Values.FirstOrDefault(b => b.State == state))) is not null, $"a build in state {state}");
        return build!;
    }
}
