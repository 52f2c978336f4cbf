using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Spectre.Console.Testing;

namespace KojiComposer.Cli.Tests.Watch;

/// <summary>A task whose two images build (slowly enough to be seen building: the first pipeline of each takes
/// 5 s), watched in every way at once.</summary>
public sealed class WatchSuccessFixture : WatchSiteFixture
{
    protected override IReadOnlyDictionary<string, string> Osbuild { get; } = new Dictionary<string, string>
    {
        ["OSBUILD_STANDIN_SCENARIO"] = "slow",
        ["OSBUILD_STANDIN_SLOW_SECONDS"] = "5",
    };

    public CliResult ByTask { get; private set; } = null!;

    public CliResult ByTaskOnTheHub { get; private set; } = null!;

    public CliResult Json { get; private set; } = null!;

    public CliResult ByCompose { get; private set; } = null!;

    public TestConsole ByComposeTerminal { get; private set; } = null!;

    public CliResult Interrupted { get; private set; } = null!;

    public CliResult QuietAfterwards { get; private set; } = null!;

    protected override async Task WatchAsync()
    {
        var byTask = Cli().RunAsync("watch", TaskText);
        var onTheHub = Cli(service: false).RunAsync("watch", TaskText);
        var json = Cli().RunAsync("--format", "json", "watch", TaskText);

        // Ctrl-C while an image builds.
        using var interrupt = new CancellationTokenSource();
        var interrupted = Cli().RunAsync(["watch", TaskText], interrupt.Token);

        // A terminal, by compose id, from the moment the compose exists.
        await WaitForComposeAsync(_ => true, "the task's compose");
        var (terminalCli, terminal) = TerminalCli();
        ByComposeTerminal = terminal;
        var byCompose = terminalCli.RunAsync("watch", ComposeId.ToString());

        await WaitForComposeAsync(c => AnyImage(c, "building"), "an image building");
        await interrupt.CancelAsync();

        ByTask = await byTask;
        ByTaskOnTheHub = await onTheHub;
        Json = await json;
        Interrupted = await interrupted;
        ByCompose = await byCompose;
        QuietAfterwards = await Cli().RunAsync("-q", "watch", TaskText);
    }
}

public sealed partial class WatchSuccessTests(WatchSuccessFixture site) : IClassFixture<WatchSuccessFixture>
{
    [Fact]
    public void WatchTask_ThroughTheService_PrintsProgressWhileBuilding_AndTheSummary()
    {
        var run = site.ByTask;

        Assert.True(run.Code == ExitCodes.Success, run.ToString());
        Assert.Equal("", run.Error);
        Snapshot.Match("success.plain", WatchOutput.Stable(run.Out));
        var progress = run.OutLines.Where(WatchOutput.IsProgressLine).ToList();
        Assert.All(progress, line => Assert.Matches(ProgressLine(), line));
        // osbuild's progress as it builds: the outer counter and the stage running, for both images.
        Assert.Contains(progress, l => BuildingLine().Match(l) is { Success: true } m && m.Groups[1].Value == "x86_64");
        Assert.Contains(progress, l => BuildingLine().Match(l) is { Success: true } m && m.Groups[1].Value == "aarch64");
        // Each line says something new.
        Assert.Equal(run.OutLines.Count, run.OutLines.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void WatchTask_OnTheHubOnly_FollowsComposeStatusJson_AndSaysSoOnce()
    {
        var run = site.ByTaskOnTheHub;

        Assert.True(run.Code == ExitCodes.Success, run.ToString());
        Assert.Equal($"kojicomposer watch: profile [koji] names no KojiComposer service: following koji task {site.TaskId} on the hub (its compose-status.json)\n", run.Error);
        Snapshot.Match("success.hub", WatchOutput.Stable(run.Out));
        var progress = run.OutLines.Where(WatchOutput.IsProgressLine).ToList();
        Assert.All(progress, line => Assert.Matches(ProgressLine(), line));
        Assert.Contains(progress, l => l.StartsWith("x86_64 guest-image: building", StringComparison.Ordinal));
    }

    [Fact]
    public void WatchCompose_OnATerminal_DrawsAProgressBarPerImage_AndLeavesTheLastFrameAndTheSummary()
    {
        Assert.True(site.ByCompose.Code == ExitCodes.Success, site.ByCompose.ToString());
        Assert.Equal("", site.ByCompose.Out); // all of it went to the terminal
        Snapshot.Match("success.terminal", WatchOutput.LastFrame(site.ByComposeTerminal));
        // It was live: frames while the images were building.
        Assert.Contains("building", site.ByComposeTerminal.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void WatchTask_InJson_PutsOnlyTheFinalStatusOnStdout()
    {
        var run = site.Json;

        Assert.True(run.Code == ExitCodes.Success, run.ToString());
        var json = JsonNode.Parse(run.Out)!.AsObject();
        Assert.Equal("success", (string?)json["result"]);
        Assert.Equal("Fedora-Cloud-42-1", (string?)json["nvr"]);
        Assert.Equal(site.ComposeId.ToString(), (string?)json["compose_id"]);
        Assert.Equal(site.TaskId, (long?)json["koji_task_id"]);
        Assert.Equal("closed", (string?)json["koji_task_state"]);
        Assert.Equal("service", (string?)json["source"]);
        Assert.Equal(
            [("x86_64", "guest-image", "success"), ("aarch64", "guest-image", "success")],
            json["images"]!.AsArray().Select(i => ((string)i!["arch"]!, (string)i["image_type"]!, (string)i["status"]!)));
        Assert.Equal("success", (string?)json["compose"]!["status"]); // the API's ComposeStatus as read
        // The human lines went to stderr, ending with the summary.
        Assert.EndsWith("  aarch64 guest-image: success\n", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void CtrlC_Exits130_SayingTheTaskGoesOnAndHowToWatchAgain()
    {
        var run = site.Interrupted;

        Assert.Equal(ExitCodes.Interrupted, run.Code);
        // The N-V-R once the watch had seen the compose (it polls every 0.2 s; the image had started).
        Assert.Matches(
            $@"^kojicomposer watch: interrupted; koji task {site.TaskId}( \(Fedora-Cloud-42-1\))? goes on: watch it again with: kojicomposer watch {site.TaskId}\n$",
            run.Error);
    }

    [Fact]
    public void Quiet_PrintsOnlyTheSummary()
    {
        var run = site.QuietAfterwards;

        Assert.True(run.Code == ExitCodes.Success, run.ToString());
        Assert.Equal(
            [$"Fedora-Cloud-42-1: success (koji build {BuildId()}, task {site.TaskId})", "  x86_64 guest-image: success", "  aarch64 guest-image: success"],
            run.OutLines);
    }

    private long BuildId() => site.Site.Read(s => s.Builds.Values.Single().Id);

    /// <summary>Every line that comes and goes with timing has one of these shapes.</summary>
    [GeneratedRegex(@"^(koji task \d+: (free|assigned|open)|Fedora-Cloud-42-1: (pending|running|finalizing|success)|(x86_64|aarch64) guest-image: (pending|uploading|success|building( \d+/\d+)?( .+)?))$")]
    private static partial Regex ProgressLine();

    [GeneratedRegex(@"^(x86_64|aarch64) guest-image: building \d+/\d+ \S.*$")]
    private static partial Regex BuildingLine();
}
