using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using KojiComposer.Builder.Osbuild;
using KojiComposer.Contracts.Images;
using Microsoft.Extensions.Logging.Abstractions;

namespace KojiComposer.Builder.Tests.Osbuild;

/// <summary>One osbuild run against the stand-in (tests/standins/osbuild) in a directory of its own.</summary>
internal sealed class OsbuildStandinRun : IDisposable
{
    /// <summary>A small manifest shaped like image-builder's qcow2 ones: build root, OS tree, image, export.</summary>
    public const string Manifest = """
        {"version": "2", "pipelines": [
          {"name": "build", "runner": "org.osbuild.fedora42", "stages": [{"type": "org.osbuild.rpm"}, {"type": "org.osbuild.selinux"}]},
          {"name": "os", "build": "name:build", "stages": [{"type": "org.osbuild.rpm"}, {"type": "org.osbuild.hostname", "options": {"hostname": "koji"}}]},
          {"name": "image", "build": "name:build", "stages": [{"type": "org.osbuild.truncate"}]},
          {"name": "qcow2", "build": "name:build", "stages": [{"type": "org.osbuild.qemu"}]}]}
        """;

    public OsbuildStandinRun()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("kojicomposer-osbuild-").FullName;
        RecordFile = Path.Combine(Directory, "record.json");
        ChildPidFile = Path.Combine(Directory, "child.pid");
        Settings = new BuilderSettings
        {
            Osbuild = Standins.Osbuild,
            ProgressInterval = TimeSpan.Zero,
            KillGrace = TimeSpan.FromSeconds(1),
            OsbuildEnvironment = new Dictionary<string, string> { ["OSBUILD_SOURCES_CURL_PROXY"] = "http://user:secret@proxy.example:3128" },
        };
    }

    public string Directory { get; }

    public string RecordFile { get; }

    public string ChildPidFile { get; }

    public string OutputDirectory => Path.Combine(Directory, "output");

    public BuilderSettings Settings { get; set; }

    /// <summary>Every progress value the runner handed on, in order.</summary>
    public ConcurrentQueue<ImageProgress> Progress { get; } = new();

    public OsbuildRunRequest Request(string? scenario = null, string export = "qcow2", string manifest = Manifest, params (string Key, string Value)[] environment)
    {
        var env = new Dictionary<string, string> { ["OSBUILD_STANDIN_RECORD"] = RecordFile, ["OSBUILD_STANDIN_CHILD_PID_FILE"] = ChildPidFile };
        if (scenario is not null)
        {
            env["OSBUILD_STANDIN_SCENARIO"] = scenario;
        }

        foreach (var (key, value) in environment)
        {
            env[key] = value;
        }

        return new OsbuildRunRequest
        {
            Manifest = manifest,
            Export = export,
            OutputDirectory = OutputDirectory,
            StoreDirectory = Path.Combine(Directory, "store"),
            CacheMaxBytes = 21474836480,
            Environment = env,
        };
    }

    public OsbuildRunner Runner() => new(Settings, NullLogger<OsbuildRunner>.Instance);

    public Task<OsbuildRunResult> RunAsync(OsbuildRunRequest request, CancellationToken cancellationToken = default) =>
        Runner().RunAsync(request, new Collector(Progress), cancellationToken);

    /// <summary>What the stand-in recorded of its invocation: argv, OSBUILD_* environment, manifest, pid/pgid/sid.</summary>
    public JsonObject Record() => (JsonObject)JsonNode.Parse(File.ReadAllText(RecordFile))!;

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    // Synchronous, unlike Progress<T>, which posts to the thread pool and could report after the run returned.
    private sealed class Collector(ConcurrentQueue<ImageProgress> queue) : IProgress<ImageProgress>
    {
        public void Report(ImageProgress value) => queue.Enqueue(value);
    }
}
