using System.Text.Json;
using System.Text.RegularExpressions;
using Spectre.Console;
using Spectre.Console.Testing;
using KojiComposer.Testing.Site;

namespace KojiComposer.Cli.Tests.OsbuildImage;

/// <summary>
/// <c>osbuild-image --wait</c> with the whole site: the task goes to kojicomposerd (the hub bridge takes it,
/// osbuild stand-ins build, the build is imported and tagged by our tagBuild subtask), and the CLI watches it
/// end as koji's watcher would show it. The states in between depend on timing; the lines do not.
/// </summary>
public sealed class OsbuildImageWaitTests(OsbuildImageWaitTests.Site site) : IClassFixture<OsbuildImageWaitTests.Site>
{
    private static readonly string[] Submission = ["osbuild-image", "Fedora-Cloud", "42", "fedora-42", IntakeSite.Target, "x86_64"];

    public sealed class Site : IAsyncLifetime
    {
        public IntakeSite Intake { get; private set; } = null!;

        public async Task InitializeAsync() => Intake = await IntakeSite.StartAsync();

        public async Task DisposeAsync() => await Intake.DisposeAsync();
    }

    [Fact]
    public async Task Wait_WatchesTheTaskAndItsTagBuild_UntilItCloses_ThenPrintsTheResult()
    {
        using var cli = new CliHarness();
        cli.WriteProfile(site.Intake.Hub.Url);

        var result = await cli.RunAsync([.. Submission, "--wait"]);

        Assert.True(result.Code == 0, result.ToString());
        var lines = result.OutLines;
        var task = long.Parse(lines[7]["Created task: ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(["name: Fedora-Cloud", "version: 42", "distro: fedora-42", "arches: x86_64", "target: f42-candidate", "image type: guest-image", "{}", $"Created task: {task}"], lines.Take(8));
        Assert.Equal($"Task info: https://koji.example.com/koji/taskinfo?taskID={task}", lines[8]);
        Assert.Equal("Watching tasks (this may be safely interrupted)...", lines[9]);
        Assert.Matches($@"^{task} osbuildImage \(noarch\): (free|assigned \(builder1\.koji\.test\)|open \(builder1\.koji\.test\))$", lines[10]);

        // Whatever the polls saw in between: state changes of the task and of its tagBuild subtask, and counts.
        var sub = Assert.Single(site.Intake.Read(s => s.Children(task).ToList())).Id;
        const string State = @"(free|(assigned|open) \(builder1\.koji\.test\)|closed)";
        var between = new Regex($@"^({task} osbuildImage \(noarch\): {State} -> {State}|  {sub} tagBuild \(noarch\): {State}( -> {State})?|  \d free  \d open  \d done  0 failed)$");
        Assert.All(lines.Skip(11).SkipLast(5), l => Assert.Matches(between, l));
        Assert.Contains(lines, l => l.StartsWith($"  {sub} tagBuild (noarch): ", StringComparison.Ordinal));

        var build = site.Intake.Read(s => s.Builds.Values.Single(b => b.TaskId == task)).Id;
        Assert.Equal(
            [
                $"{task} osbuildImage (noarch): open (builder1.koji.test) -> closed",
                "  0 free  0 open  2 done  0 failed",
                "",
                $"{task} osbuildImage (noarch) completed successfully",
            ],
            lines.TakeLast(5).SkipLast(1));
        Assert.Matches(
            $@"^\{{'composer': \{{'server': 'https://kojicomposer\.example\.com', 'id': '[0-9a-f-]{{36}}'\}}, 'koji': \{{'build': {build}\}}\}}$",
            lines[^1]);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task InTheForeground_OnATerminal_ShowsEachImagesProgress_ThenPrintsTheResult()
    {
        using var cli = new CliHarness { InBackground = false, OutputIsTerminal = true };
        var terminal = new TestConsole().Width(100).Colors(ColorSystem.NoColors);
        cli.Terminal = terminal;
        cli.WriteProfile(site.Intake.Hub.Url, site.Intake.Api.BaseAddress);

        var result = await cli.RunAsync([.. Submission, "--skip-tag"]);

        Assert.True(result.Code == 0, result.ToString());
        var lines = result.OutLines;
        var task = long.Parse(lines[7]["Created task: ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"Task info: https://koji.example.com/koji/taskinfo?taskID={task}", lines[8]);
        var (build, nvr) = site.Intake.Read(s => s.Builds.Values.Where(b => b.TaskId == task).Select(b => (b.Id, b.Nvr)).Single());
        Assert.Matches($@"^\{{'composer': \{{'server': 'https://kojicomposer\.example\.com', 'id': '[0-9a-f-]{{36}}'\}}, 'koji': \{{'build': {build}\}}\}}$", lines[9]);
        Assert.Equal(10, lines.Count);

        // The live display went to the terminal: its last frame (one full bar) and the summary stay.
        var screen = terminal.Output.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Contains(screen, l => Regex.IsMatch(l, @"^  x86_64\s+guest-image\s+success\s+━+$"));
        Assert.Equal([$"{nvr}: success (koji build {build}, task {task})", "  x86_64 guest-image: success"], screen.TakeLast(2));
    }

    [Fact]
    public async Task Wait_InJson_Quiet_PrintsOnlyTheObject_WithTheFinalStateAndResult()
    {
        using var cli = new CliHarness();
        cli.WriteProfile(site.Intake.Hub.Url);

        var result = await cli.RunAsync([.. Submission, "-q", "--format", "json", "--wait", "--skip-tag"]);

        Assert.True(result.Code == 0, result.ToString());
        Assert.Equal("", result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        var task = root.GetProperty("task_id").GetInt64();
        var build = site.Intake.Read(s => s.Builds.Values.Single(b => b.TaskId == task)).Id;
        Assert.Equal("closed", root.GetProperty("state").GetString());
        Assert.Equal("""{"skip_tag":true}""", root.GetProperty("opts").GetRawText());
        var composer = root.GetProperty("result").GetProperty("composer");
        Assert.Equal(IntakeSite.PublicUrl, composer.GetProperty("server").GetString());
        Assert.True(Guid.TryParse(composer.GetProperty("id").GetString(), out _));
        Assert.Equal(build, root.GetProperty("result").GetProperty("koji").GetProperty("build").GetInt64());
        Assert.Single(result.OutLines);
    }
}

/// <summary><c>osbuild-image --wait</c> for a task whose image fails to build (the osbuild stand-in fails a stage).</summary>
public sealed class OsbuildImageWaitFailureTests : IAsyncLifetime
{
    private IntakeSite _site = null!;

    public async Task InitializeAsync() =>
        _site = await IntakeSite.StartAsync(osbuild: new Dictionary<string, string> { ["OSBUILD_STANDIN_SCENARIO"] = "stage-failure" });

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task Wait_ShowsTheBuildErrorOfAFailedTask_AndExitsWithOne()
    {
        using var cli = new CliHarness { InBackground = false };
        cli.WriteProfile(_site.Hub.Url);

        var result = await cli.RunAsync("osbuild-image", "Fedora-Cloud", "42", "fedora-42", IntakeSite.Target, "x86_64");

        Assert.True(result.Code == ExitCodes.Failure, result.ToString());
        var lines = result.OutLines;
        var task = long.Parse(lines[7]["Created task: ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        // The fault text is the compose's error, stage output included: it goes on over several lines, as in koji.
        var failed = lines.Single(l => l.Contains("-> FAILED: ", StringComparison.Ordinal));
        Assert.Matches(
            $@"^{task} osbuildImage \(noarch\): open \(builder1\.koji\.test\) -> FAILED: BuildError: Compose failed \(id: [0-9a-f-]{{36}}\): x86_64 guest-image: stage \S+ failed: ",
            failed);
        Assert.Equal(["  0 free  0 open  0 done  1 failed", "", $"{task} osbuildImage (noarch) failed"], lines.TakeLast(3));
        Assert.Equal("", result.Error);
    }
}
