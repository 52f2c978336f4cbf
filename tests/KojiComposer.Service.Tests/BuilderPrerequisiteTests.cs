using KojiComposer.Testing.Logging;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using KojiComposer.Builder.Worker;
using KojiComposer.Config;
using KojiComposer.Service.Hosting;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Service.Tests;

/// <summary>The builder role's start-up check: osbuild and the manifest generator are there and new enough before
/// any Hangfire server starts; what was found is advertised on <c>/health</c> and <c>/hangfire/builders</c>.</summary>
public sealed class BuilderPrerequisiteTests
{
    [Fact]
    public async Task Serve_ExitsSeven_AndStartsNothing_WhenOsbuildIsNotOnPath()
    {
        await AssertRefusedAsync(
            ("{dir}/bin/osbuild", "kojicomposer-no-such-osbuild"),
            "osbuild not found: \"kojicomposer-no-such-osbuild\" is not on PATH (",
            "); install the osbuild package or set builder.osbuild");
    }

    [Fact]
    public async Task Serve_ExitsSeven_NamingTheKey_WhenTheWorkDirectoryCannotBeWritten()
    {
        // /proc refuses new directories even to root, as CI runs.
        await AssertRefusedAsync(
            ("{dir}/builds", "/proc/kojicomposer-no-such-dir/builds"),
            "builder.work_dir /proc/kojicomposer-no-such-dir/builds is not a directory this worker can write: ",
            "; create it for the service's user or set builder.work_dir");
    }

    [Fact]
    public async Task Serve_ExitsSeven_NamingTheTarget_WhenAConfiguredTargetCannotWork()
    {
        // A [builder.targets.*] section is a promise that the target works: skopeo missing stops the worker now,
        // rather than failing every container image after its build.
        using var config = new ServiceConfig($"""
            [store]
            path = "{"{dir}"}/kojicomposer.db"
            [web]
            listen = ["http://127.0.0.1:0"]
            [builder]
            {ServiceConfig.Tools}
            [builder.targets.container]
            skopeo = "/nonexistent/kojicomposer/skopeo"
            """ + ServiceConfig.Hub);

        var run = await CommandRun.RunAsync("serve", "--config", config.Path);

        Assert.Equal(ExitCodes.BuilderPrerequisites, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("kojicomposerd serve: error: this machine cannot build: target container: [builder.targets.container] skopeo: ", line, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/kojicomposer/skopeo", line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(config.Directory, "kojicomposer.db")));
    }

    /// <summary>Serves with one <see cref="ServiceConfig.Tools"/> value replaced and checks the refusal: exit 7, one
    /// error line starting and ending as given, and nothing started (the embedded store was never created).</summary>
    private static async Task AssertRefusedAsync((string From, string To) replace, string starts, string ends)
    {
        using var config = new ServiceConfig($"""
            [store]
            path = "{"{dir}"}/kojicomposer.db"
            [web]
            listen = ["http://127.0.0.1:0"]
            [builder]
            {ServiceConfig.Tools.Replace(replace.From, replace.To, StringComparison.Ordinal)}
            """ + ServiceConfig.Hub);

        var run = await CommandRun.RunAsync("serve", "--config", config.Path);

        Assert.Equal(ExitCodes.BuilderPrerequisites, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("kojicomposerd serve: error: this machine cannot build: " + starts, line, StringComparison.Ordinal);
        Assert.EndsWith(ends, line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(config.Directory, "kojicomposer.db")));
    }

    [Fact]
    public async Task Serve_ExitsSeven_NamingVersionPathAndKey_WhenOsbuildIsTooOld()
    {
        using var config = ServiceConfig.AllInOne("http://127.0.0.1:0", osbuildVersion: 150);

        var run = await CommandRun.RunAsync("serve", "--config", config.Path);

        Assert.Equal(ExitCodes.BuilderPrerequisites, run.ExitCode);
        Assert.Equal(
            [$"kojicomposerd serve: error: this machine cannot build: osbuild 150 at {config.Directory}/bin/osbuild is older than 190, the oldest this worker accepts (builder.min_osbuild_version); update the osbuild package"],
            run.ErrorLines);
        Assert.False(File.Exists(Path.Combine(config.Directory, "kojicomposer.db")));
    }

    [Fact]
    public async Task ServiceHost_LogsTheProblem_AndRefusesToStart_WhenTheGeneratorIsMissing()
    {
        using var config = ServiceConfig.AllInOne("http://127.0.0.1:0");
        File.Delete(Path.Combine(config.Directory, "bin", "image-builder"));
        var logs = new CapturedLogs();
        await using var host = ServiceHost.Build(KojiComposerConfiguration.Load(config.Path), logging => logging.AddProvider(logs));

        var e = await Assert.ThrowsAsync<BuilderPrerequisiteException>(() => host.StartAsync(CancellationToken.None));

        var expected = $"image-builder not found: {config.Directory}/bin/image-builder does not exist; install the image-builder package or set builder.generator.command";
        Assert.Equal(expected, e.Message);
        Assert.Contains($"Not starting: this machine cannot build: {expected}", logs.Lines);
        Assert.Empty(host.Addresses);
    }

    [Fact]
    public async Task Health_ShowsTheAdvertisedOsbuildAndGenerator_OnceTheBuilderRuns()
    {
        using var config = ServiceConfig.AllInOne("http://127.0.0.1:0");
        var logs = new CapturedLogs();
        await using var host = ServiceHost.Build(KojiComposerConfiguration.Load(config.Path), logging => logging.AddProvider(logs));
        await host.StartAsync(CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri(Assert.Single(host.Addresses)) };

        // The builder server registers with Hangfire a moment after the host started.
        string? builders = null;
        for (var i = 0; i < 300 && builders?.Contains("osbuild", StringComparison.Ordinal) != true; i++)
        {
            await Task.Delay(100);
            using var response = await http.GetAsync("/health");
            var health = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            builders = (string?)health["checks"]!["builders"]!["details"];
        }

        var page = await http.GetStringAsync("/hangfire/builders");
        await host.StopAsync();

        Assert.Contains($"(pid {Environment.ProcessId}, 1 workers; osbuild 191, image-builder 45)", builders, StringComparison.Ordinal);
        Assert.Contains($"{config.Directory}/bin/osbuild", page, StringComparison.Ordinal);
        Assert.Contains("image-builder 45", page, StringComparison.Ordinal);
        Assert.Contains($"Builder prerequisites met: osbuild 191 ({config.Directory}/bin/osbuild); image-builder 45", logs.Lines);
    }

    [Fact]
    public async Task CheckConfig_ReportsTheOsbuildAndGeneratorItFound_AndNoEnvironmentValue()
    {
        using var config = new ServiceConfig($"""
            [store]
            path = "{"{dir}"}/kojicomposer.db"
            [builder]
            {ServiceConfig.Tools}
            [builder.environment]
            OSBUILD_SOURCES_CURL_PROXY = "http://releng:pr0xy-s3cret@proxy.example.com:3128"
            """ + ServiceConfig.Hub);

        var run = await CommandRun.RunAsync("check-config", "--config", config.Path);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("", run.Error);
        Assert.Contains($"  builder: osbuild 191 ({config.Directory}/bin/osbuild); image-builder 45", run.OutLines);
        Assert.Contains("  osbuild environment: OSBUILD_SOURCES_CURL_PROXY (values not shown)", run.OutLines);
        Assert.DoesNotContain("s3cret", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConfig_ExitsSeven_WhenOsbuildIsTooOld()
    {
        using var config = ServiceConfig.AllInOne("http://127.0.0.1:8700", osbuildVersion: 189);

        var run = await CommandRun.RunAsync("check-config", "--config", config.Path);

        Assert.Equal(ExitCodes.BuilderPrerequisites, run.ExitCode);
        Assert.Contains("  builder: cannot build here (see the error below)", run.OutLines);
        Assert.Equal(
            [$"kojicomposerd check-config: error: this machine cannot build: osbuild 189 at {config.Directory}/bin/osbuild is older than 190, the oldest this worker accepts (builder.min_osbuild_version); update the osbuild package"],
            run.ErrorLines);
    }
}
