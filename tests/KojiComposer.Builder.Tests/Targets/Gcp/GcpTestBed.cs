using System.Security.Cryptography;
using KojiComposer.Builder.Targets;
using KojiComposer.Builder.Targets.Gcp;
using KojiComposer.Config;
using KojiComposer.Contracts.Images;
using KojiComposer.Contracts.Targets;
using KojiComposer.Testing.Logging;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Tests.Targets.Gcp;

/// <summary>A <see cref="GcpFake"/>, a service account key for it, an artifact, and the real target pointed at the
/// fake (real StorageClient, real token flow, real Compute REST calls).</summary>
internal sealed class GcpTestBed : IAsyncDisposable
{
    public const string Bucket = "kc-staging";

    private readonly ILoggerFactory _loggers;

    private GcpTestBed(GcpFake fake, string directory)
    {
        Fake = fake;
        Directory = directory;
        KeyFile = fake.WriteKeyFile(directory);
        fake.Buckets[Bucket] = true;
        _loggers = LoggerFactory.Create(b => b.AddProvider(Logs));
    }

    public GcpFake Fake { get; }

    public string Directory { get; }

    public string KeyFile { get; }

    public CapturedLogs Logs { get; } = new();

    public List<ImageProgress> Progress { get; } = [];

    public static async Task<GcpTestBed> StartAsync() =>
        new(await GcpFake.StartAsync(), System.IO.Directory.CreateTempSubdirectory("kc-gcp-").FullName);

    public GcpTargetOptions Options(string? bucket = Bucket, string? projectId = null) => new()
    {
        Credentials = KeyFile,
        Bucket = bucket,
        ProjectId = projectId,
        StorageEndpoint = Fake.StorageEndpoint,
        ComputeEndpoint = Fake.ComputeEndpoint,
        OperationTimeout = TimeSpan.FromSeconds(30),
        PollInterval = TimeSpan.FromMilliseconds(10),
    };

    public GcpImageTarget Target(GcpTargetOptions? gcp = null) =>
        new(new TargetsOptions { Gcp = gcp ?? Options() }, _loggers.CreateLogger<GcpImageTarget>());

    /// <summary>An exported image.tar.gz of <paramref name="size"/> random bytes.</summary>
    public string Artifact(int size = 300_000, string name = "image.tar.gz")
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(size));
        return path;
    }

    public TargetUpload Upload(GcpUploadOptions options, string? artifact = null, string distribution = "rhel-9.6", string arch = "x86_64") => new()
    {
        ComposeId = Guid.Parse("6f1c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f"),
        Image = "compose 6f1c1d2e image 0 (rhel-9.6 x86_64 gcp)",
        Distribution = distribution,
        Arch = arch,
        ImageType = "gcp",
        ArtifactPath = artifact ?? Artifact(),
        ExportFilename = Path.GetFileName(artifact ?? "image.tar.gz"),
        BootMode = "uefi",
        Options = options,
        GeneratedName = "composer-api-" + Guid.NewGuid().ToString("D"),
        Progress = new Recorder(Progress),
        WorkDirectory = Directory,
    };

    public async ValueTask DisposeAsync()
    {
        await Fake.DisposeAsync();
        _loggers.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private sealed class Recorder(List<ImageProgress> list) : IProgress<ImageProgress>
    {
        public void Report(ImageProgress value)
        {
            lock (list)
            {
                list.Add(value);
            }
        }
    }
}
