using System.Text.Json.Nodes;
using Spectre.Console.Testing;

namespace KojiComposer.Cli.Tests.Watch;

/// <summary>A task whose aarch64 image fails in osbuild (a stage of its second pipeline), so the compose fails,
/// the build is refunded and Koji fails the task; watched in every way at once.</summary>
public sealed class WatchFailureFixture : WatchSiteFixture
{
    protected override IReadOnlyDictionary<string, string> Osbuild { get; } = new Dictionary<string, string>
    {
        ["OSBUILD_STANDIN_SCENARIO"] = "stage-failure",
        ["OSBUILD_STANDIN_SCENARIO_MATCH"] = "/aarch64",
    };

    public CliResult ByTask { get; private set; } = null!;

    public CliResult ByTaskOnTheHub { get; private set; } = null!;

    public CliResult JsonOnTheHub { get; private set; } = null!;

    public CliResult ByTaskOnATerminal { get; private set; } = null!;

    public TestConsole Terminal { get; private set; } = null!;

    protected override async Task WatchAsync()
    {
        var byTask = Cli().RunAsync("watch", TaskText);
        var onTheHub = Cli(service: false).RunAsync("watch", TaskText);
        var json = Cli(service: false).RunAsync("watch", TaskText, "--format", "json");
        var (terminalCli, terminal) = TerminalCli();
        Terminal = terminal;
        var onATerminal = terminalCli.RunAsync("watch", TaskText);

        ByTask = await byTask;
        ByTaskOnTheHub = await onTheHub;
        JsonOnTheHub = await json;
        ByTaskOnATerminal = await onATerminal;
        await WaitForComposeAsync(_ => true, "the task's compose");
    }
}

public sealed class WatchFailureTests(WatchFailureFixture site) : IClassFixture<WatchFailureFixture>
{
    [Fact]
    public void WatchTask_ThroughTheService_ExitsWithFailure_NamingTheImagesErrorAndTheTasksFault()
    {
        var run = site.ByTask;

        Assert.True(run.Code == ExitCodes.Failure, run.ToString());
        Assert.Equal("", run.Error);
        Snapshot.Match("failure.plain", WatchOutput.Stable(run.Out));
    }

    [Fact]
    public void WatchTask_OnTheHubOnly_ExitsWithFailure_FromComposeStatusJsonAndTheTasksFault()
    {
        var run = site.ByTaskOnTheHub;

        Assert.True(run.Code == ExitCodes.Failure, run.ToString());
        Snapshot.Match("failure.hub", WatchOutput.Stable(run.Out));
    }

    [Fact]
    public void WatchTask_OnATerminal_LeavesTheFailedImagesBarAndError_AndTheSummary()
    {
        Assert.True(site.ByTaskOnATerminal.Code == ExitCodes.Failure, site.ByTaskOnATerminal.ToString());
        Assert.Equal("", site.ByTaskOnATerminal.Out);
        Snapshot.Match("failure.terminal", WatchOutput.LastFrame(site.Terminal));
    }

    [Fact]
    public void WatchTask_OnTheHubInJson_GivesTheTasksStateFaultAndComposeStatusJson()
    {
        var run = site.JsonOnTheHub;

        Assert.True(run.Code == ExitCodes.Failure, run.ToString());
        var json = JsonNode.Parse(run.Out)!.AsObject();
        Assert.Equal("failure", (string?)json["result"]);
        Assert.Equal("failed", (string?)json["koji_task_state"]);
        Assert.StartsWith($"BuildError: Compose failed (id: {site.ComposeId}): aarch64 guest-image: ", (string?)json["koji_task_fault"], StringComparison.Ordinal);
        Assert.Equal(site.ComposeId.ToString(), (string?)json["compose_id"]); // from the fault
        Assert.Equal("hub", (string?)json["source"]);
        Assert.Equal(["success", "failure"], json["images"]!.AsArray().Select(i => (string)i!["status"]!));
        Assert.Equal(10, (int?)json["images"]![1]!["error"]!["id"]);
        // compose-status.json as the builder attached it.
        Assert.Equal(site.Site.TaskJson(site.TaskId, "compose-status.json").ToJsonString(), json["compose"]!.ToJsonString());
    }

    [Fact]
    public async Task WatchTask_WhenTheServiceIsUnreachable_SaysSoOnce_AndFollowsTheTaskOnTheHub()
    {
        var cli = site.Cli(serviceUrl: new Uri("http://127.0.0.1:9/"));

        var run = await cli.RunAsync("watch", site.TaskText);

        Assert.True(run.Code == ExitCodes.Failure, run.ToString());
        var error = Assert.Single(run.Error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("kojicomposer watch: KojiComposer service http://127.0.0.1:9: GET /api/image-builder-composer/v2/composes/: cannot reach the service", error, StringComparison.Ordinal);
        Assert.EndsWith($"; following koji task {site.TaskId} on the hub instead", error, StringComparison.Ordinal);
        // The task had ended: its fault named the compose from the start.
        Snapshot.Match("failure.service-unreachable", WatchOutput.Stable(run.Out));
    }

    [Fact]
    public async Task WatchCompose_ThroughTheService_ExitsWithFailure()
    {
        var run = await site.Cli().RunAsync("watch", site.ComposeId.ToString());

        Assert.True(run.Code == ExitCodes.Failure, run.ToString());
        Assert.Equal($"Watching Fedora-Cloud-42-1 (compose {site.ComposeId}, koji task {site.TaskId})", run.OutLines[0]);
        Assert.Contains("  aarch64 guest-image: failure: error 10: ", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ATaskFailingBeforeItHasACompose_Exits1_WithKojisFault(bool service)
    {
        var task = await site.Site.SubmitAsync(["x86_64", "riscv64"]);

        var run = await site.Cli(service).RunAsync("-q", "watch", task.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(run.Code == ExitCodes.Failure, run.ToString());
        Assert.Equal([$"koji task {task}: failure", $"  koji task {task}: FAILED: BuildError: Unsupported architecture(s): {{'riscv64'}}"], run.OutLines);
    }

    [Fact]
    public async Task UnknownCompose_Exits9()
    {
        var unknown = Guid.NewGuid();

        var run = await site.Cli().RunAsync("watch", unknown.ToString());

        Assert.Equal(ExitCodes.NotFound, run.Code);
        Assert.Equal("", run.Out);
        Assert.StartsWith($"kojicomposer watch: error: KojiComposer service {site.Site.Api.BaseAddress!.GetLeftPart(UriPartial.Authority)}: GET /api/image-builder-composer/v2/composes/{unknown}: ", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task UnknownTask_Exits9_NamingTheHub(bool service)
    {
        var run = await site.Cli(service).RunAsync("watch", "99999");

        Assert.Equal(ExitCodes.NotFound, run.Code);
        Assert.Equal("", run.Out);
        Assert.EndsWith($"kojicomposer watch: error: koji hub {site.Site.Hub.Url}: there is no task 99999 (check the id: koji taskinfo 99999)\n", run.Error, StringComparison.Ordinal);
    }
}
