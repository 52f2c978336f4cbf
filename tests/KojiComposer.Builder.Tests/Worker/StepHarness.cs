using System.Text.Json.Nodes;
using KojiComposer.Builder.Catalogue;
using KojiComposer.Builder.Targets;
using KojiComposer.Builder.Uploads;
using KojiComposer.Builder.Worker;
using KojiComposer.Config;
using KojiComposer.Contracts.Images;
using Microsoft.Extensions.Logging.Abstractions;

namespace KojiComposer.Builder.Tests.Worker;

/// <summary>
/// An <see cref="OsbuildImageBuildStep"/> over fakes of osbuild and the generator, with a work directory of its own
/// (removed at the end). The log renderer and package split are test seams here: their real implementations are
/// tested on their own, and these tests are about what the step does with them.
/// </summary>
internal sealed class StepHarness : IDisposable
{
    public static readonly ImageTypeInfo GuestImage =
        new("guest-image", "fedora-*", "qcow2", "qcow2", "disk.qcow2", "hybrid", "aws.s3", ["build"], ["os"]);

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("kc-step-");

    public StepHarness(
        IKojiArtifactUploader? uploader = null, string osRelease = "ID=fedora\nVERSION_ID=42\n", IEnumerable<IUploadTarget>? targets = null,
        TargetsOptions? targetOptions = null)
    {
        Directory.CreateDirectory(WorkDirectory);
        var osReleasePath = Path.Combine(_root.FullName, "os-release");
        File.WriteAllText(osReleasePath, osRelease);
        Step = new OsbuildImageBuildStep(
            new BuilderSettings { WorkDirectory = WorkDirectory, StoreDirectory = Path.Combine(_root.FullName, "store") },
            new ImageTypeCatalogue([GuestImage]),
            Generator,
            Osbuild,
            uploader ?? new KojiArtifactUploader(null, null, NullLogger<KojiArtifactUploader>.Instance),
            NullLogger<OsbuildImageBuildStep>.Instance,
            new UploadTargetSet(targetOptions ?? new TargetsOptions { RetryDelay = TimeSpan.Zero }, targets ?? []))
        {
            RenderLog = document => $"Pipeline: {string.Join(", ", (document?["log"] as JsonObject)?.Select(p => p.Key) ?? [])}\n",
            SplitPackages = (document, pipelines) => (Packages(document, pipelines.Build), Packages(document, pipelines.Payload)),
            OsReleasePaths = [osReleasePath],
        };
    }

    public string WorkDirectory => Path.Combine(_root.FullName, "builds");

    public FakeOsbuildRunner Osbuild { get; } = new();

    public FakeManifestGenerator Generator { get; } = new();

    public RecordingReporter Reporter { get; } = new();

    public OsbuildImageBuildStep Step { get; }

    /// <summary>What the build directories root holds (empty once every build cleaned up).</summary>
    public string[] LeftInWorkDirectory => Directory.GetFileSystemEntries(WorkDirectory);

    public static ImageBuildRequest Request(string? kojiServer = null, Guid? composeId = null, string imageType = "guest-image")
    {
        var id = composeId ?? Guid.NewGuid();
        return new ImageBuildRequest
        {
            ComposeId = id,
            ImageIndex = 0,
            Name = "Fedora-Cloud",
            Version = "42",
            Release = "1",
            Distribution = "fedora-42",
            Arch = "x86_64",
            ImageType = imageType,
            KojiServer = kojiServer,
            KojiUploadDirectory = kojiServer is null ? null : KojiUploadDirectory.For(id),
            KojiBuildId = kojiServer is null ? null : 7,
            ImageRequest = new JsonObject { ["architecture"] = "x86_64", ["image_type"] = imageType, ["repositories"] = new JsonArray() },
            Seed = 42,
        };
    }

    public Task<ImageBuildOutcome> BuildAsync(ImageBuildRequest request, CancellationToken cancellationToken = default) =>
        Step.BuildAsync(request, Reporter, cancellationToken);

    public void Dispose() => _root.Delete(recursive: true);

    private static List<RpmComponent> Packages(JsonObject document, IReadOnlyList<string> pipelines) =>
        [.. pipelines.SelectMany(p => document["metadata"]?[p]?["org.osbuild.rpm"]?["packages"]?.AsArray() ?? [])
            .Select(p => new RpmComponent((string)p!["name"]!, (string)p["version"]!, (string)p["release"]!, null, (string)p["arch"]!, (string?)p["sigmd5"], (string?)p["siggpg"]))];
}
