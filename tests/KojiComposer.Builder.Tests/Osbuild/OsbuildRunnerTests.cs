using System.Text.Json.Nodes;
using KojiComposer.Builder.Osbuild;
using KojiComposer.Contracts.Images;

namespace KojiComposer.Builder.Tests.Osbuild;

public sealed class OsbuildRunnerTests : IDisposable
{
    private readonly OsbuildStandinRun _run = new();

    public void Dispose() => _run.Dispose();

    [Fact]
    public async Task RunAsync_ReturnsTheResultAndLeavesTheArtifact_WhenOsbuildSucceeds()
    {
        var result = await _run.RunAsync(_run.Request());

        Assert.True(result.Success);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(OsbuildFailure.None, result.Failure);
        Assert.Null(result.Error);
        Assert.Equal("", result.InfrastructureLog);
        Assert.Equal(["build", "os", "image", "qcow2"], result.Document!["log"]!.AsObject().Select(p => p.Key));
        var artifact = new FileInfo(Path.Combine(_run.OutputDirectory, "qcow2", "disk.qcow2"));
        Assert.Equal(4096, artifact.Length);
    }

    [Fact]
    public async Task RunAsync_GivesOsbuildTheExactCommandLineManifestAndEnvironment()
    {
        await _run.RunAsync(_run.Request(environment: ("OSBUILD_SOURCES_CURL_SSL_CA_CERT", "/etc/pki/koji-ca.pem")));

        var record = _run.Record();
        string[] expected =
        [
            "--store", Path.Combine(_run.Directory, "store"), "--output-directory", _run.OutputDirectory,
            "--cache-max-size=21474836480", "--export", "qcow2", "--json", "--monitor=JSONSeqMonitor", "--monitor-fd=2", "-",
        ];
        Assert.Equal(expected, record["argv"]!.AsArray().Select(a => (string)a!));
        Assert.Equal(OsbuildStandinRun.Manifest, (string)record["manifest"]!);
        var env = record["env"]!.AsObject();
        Assert.Equal("1", (string)env["OSBUILD_EXPORT_FORCE_NO_PRESERVE_OWNER"]!);
        Assert.Equal("http://user:secret@proxy.example:3128", (string)env["OSBUILD_SOURCES_CURL_PROXY"]!);
        Assert.Equal("/etc/pki/koji-ca.pem", (string)env["OSBUILD_SOURCES_CURL_SSL_CA_CERT"]!);
    }

    [Fact]
    public async Task RunAsync_PassesUnlimitedCacheAndTheBuildCheckpoint_WhenAsked()
    {
        await _run.RunAsync(_run.Request() with { CacheMaxBytes = null, CheckpointBuild = true });

        var argv = _run.Record()["argv"]!.AsArray().Select(a => (string)a!).ToList();
        Assert.Contains("--cache-max-size=unlimited", argv);
        var checkpoint = argv.IndexOf("--checkpoint");
        Assert.Equal("build", argv[checkpoint + 1]);
        Assert.True(checkpoint < argv.IndexOf("--export"));
    }

    [Fact]
    public async Task RunAsync_RunsOsbuildAsTheLeaderOfItsOwnProcessGroup()
    {
        await _run.RunAsync(_run.Request());

        // setsid execs in place (our child is no group leader, so it need not fork): osbuild is our own child, and its
        // pid is its session and process group id, so kill(-pid) reaches it and everything it starts.
        var record = _run.Record();
        Assert.Equal(Environment.ProcessId, (int)record["ppid"]!);
        Assert.Equal((int)record["pid"]!, (int)record["pgid"]!);
        Assert.Equal((int)record["pid"]!, (int)record["sid"]!);
        Assert.NotEqual(Environment.ProcessId, (int)record["pid"]!);
    }

    [Fact]
    public async Task RunAsync_ReportsLiveProgressUpToTheEnd()
    {
        await _run.RunAsync(_run.Request());

        var reported = _run.Progress.ToList();
        Assert.Contains(reported, p => p.Stage == "pipeline: os (org.osbuild.rpm)" && p.SubTotal == 2);
        Assert.Equal(new ImageProgress(5, 5, "pipelines/sources"), reported[^1]);
    }

    [Fact]
    public async Task RunAsync_ReportsOnlyTheFirstAndTheFinalProgress_WhenTheIntervalIsLongerThanTheBuild()
    {
        _run.Settings = _run.Settings with { ProgressInterval = TimeSpan.FromHours(1) };

        await _run.RunAsync(_run.Request());

        Assert.Equal([new ImageProgress(0, 5, "pipelines/sources"), new ImageProgress(5, 5, "pipelines/sources")], _run.Progress);
    }

    [Fact]
    public async Task RunAsync_DrainsBothPipes_WhenOsbuildWritesTensOfMegabytes()
    {
        var result = await _run.RunAsync(_run.Request("large-output", environment: ("OSBUILD_STANDIN_LARGE_MB", "32")));

        Assert.True(result.Success);
        var outputs = result.Document!["log"]!.AsObject().SelectMany(p => p.Value!.AsArray()).Sum(s => ((string)s!["output"]!).Length);
        Assert.True(outputs > 1024 * 1024, $"the log holds {outputs} characters of stage output");
        Assert.Equal("", result.InfrastructureLog);
        Assert.Equal(5, _run.Progress.Last().Done);
    }

    [Fact]
    public async Task RunAsync_ReturnsRpmMetadataThatSplitsIntoBuildrootAndImage()
    {
        var result = await _run.RunAsync(_run.Request());

        var (buildroot, image) = OsbuildPackages.Split(result.Document!, new PipelineNames(["build"], ["os"]));
        Assert.Equal(["bash", "coreutils", "qemu-img"], buildroot.Select(c => c.Name));
        Assert.Equal(["bash", "kernel-core", "tzdata"], image.Select(c => c.Name));
        Assert.Equal("2", buildroot.Single(c => c.Name == "qemu-img").Epoch);
        Assert.StartsWith("8901b3", buildroot.Single(c => c.Name == "coreutils").Signature, StringComparison.Ordinal);
        Assert.Null(buildroot.Single(c => c.Name == "qemu-img").Signature);
    }

    [Theory]
    [InlineData("0", 3 * 1024 * 1024 + 5)]
    [InlineData("1", 64 * 1024 * 1024)]
    public async Task RunAsync_LeavesAnArtifactOfTheSizeAsked(string sparse, long bytes)
    {
        var result = await _run.RunAsync(_run.Request(environment: [("OSBUILD_STANDIN_ARTIFACT_BYTES", bytes.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("OSBUILD_STANDIN_SPARSE", sparse)]));

        Assert.True(result.Success);
        var path = Path.Combine(_run.OutputDirectory, "qcow2", "disk.qcow2");
        Assert.Equal(bytes, new FileInfo(path).Length);
        await using var file = File.OpenRead(path);
        var head = new byte[4096];
        await file.ReadExactlyAsync(head);
        Assert.Equal(sparse == "1", head.All(b => b == 0));
    }

    [Fact]
    public async Task RunAsync_WritesTheDefaultFileOfTheExport()
    {
        const string manifest = """{"version": "2", "pipelines": [{"name": "build"}, {"name": "os", "build": "name:build"}, {"name": "xz", "build": "name:build"}]}""";

        var result = await _run.RunAsync(_run.Request(export: "xz", manifest: manifest));

        Assert.True(result.Success);
        Assert.True(File.Exists(Path.Combine(_run.OutputDirectory, "xz", "image.raw.xz")));
        Assert.IsType<JsonObject>(result.Document!["metadata"]!["os"]!["org.osbuild.rpm"]);
    }
}
