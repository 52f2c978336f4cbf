using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using KojiComposer.Builder.Catalogue;
using KojiComposer.Builder.Manifests;
using KojiComposer.Builder.Osbuild;
using KojiComposer.Builder.Targets;
using KojiComposer.Builder.Tests.Worker;
using KojiComposer.Builder.Uploads;
using KojiComposer.Builder.Worker;
using KojiComposer.Config;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.Testing.Hub;
using Microsoft.Extensions.Logging.Abstractions;

namespace KojiComposer.Builder.Tests.EndToEnd;

/// <summary>
/// The whole worker side of one image with nothing faked but the executables: the built-in catalogue, the
/// image-builder stand-in making the manifest, the osbuild stand-in building it, the real log renderer and package
/// split, and the uploads to the hub simulator as the CG user. What lands on the hub and what the stored result says
/// about it are what the import (and Pungi, after it) will see.
/// </summary>
public sealed class StandinBuildTests
{
    private const string Image = "Fedora-Cloud-42-1.x86_64.qcow2";

    [Fact]
    public async Task BuildAsync_MakesUploadsAndRecordsTheImage_WithTheRealStandins()
    {
        await using var hub = await SimulatedHub.StartAsync();
        using var work = new TempTree();
        var step = Step(work, hub, new Dictionary<string, string> { ["OSBUILD_STANDIN_ARTIFACT_BYTES"] = "3000000" });
        var request = StepHarness.Request(hub.Url.AbsoluteUri) with
        {
            Customizations = new JsonObject { ["packages"] = new JsonArray("vim-enhanced") },
        };
        var reporter = new RecordingReporter();

        var outcome = await step.BuildAsync(request, reporter, CancellationToken.None);

        Assert.True(outcome.Success, outcome.Error?.ToString());
        var result = ImageBuildResult.FromJson(outcome.Result!);
        var koji = result.Koji!;
        Assert.Equal([Image, Image + ".manifest.json", Image + ".osbuild.log"], koji.Files.Where(f => f.Type != "sbom-doc").Select(f => f.Filename));
        Assert.Equal(("qcow2", "disk.qcow2", "hybrid"), (koji.ExportName, koji.ExportFilename, koji.BootMode));
        Assert.Equal(("success", "191", "image-builder", "79"), (result.UploadStatus, result.OsbuildVersion, koji.Generator, koji.GeneratorVersion));
        // The stand-in's rpm metadata: bash is in both, de-duplicated per side; epoch and the signature rule kept.
        Assert.Equal(["bash", "coreutils", "qemu-img"], koji.BuildrootComponents.Select(c => c.Name));
        Assert.Equal(["bash", "kernel-core", "tzdata"], koji.ImageComponents.Select(c => c.Name));
        Assert.Equal("2", koji.BuildrootComponents.Single(c => c.Name == "qemu-img").Epoch);
        Assert.Null(koji.BuildrootComponents.Single(c => c.Name == "qemu-img").Signature);
        Assert.StartsWith("8901b3", koji.BuildrootComponents.Single(c => c.Name == "coreutils").Signature, StringComparison.Ordinal);

        // Every file the result names is on the hub with that size and those digests, owned by the CG user.
        var uploaded = Path.Combine(hub.Hub.WorkDir, koji.Directory);
        foreach (var file in koji.Files)
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(uploaded, file.Filename));
            Assert.Equal(file.Filesize, bytes.LongLength);
            Assert.Equal(file.Md5, Convert.ToHexStringLower(MD5.HashData(bytes)));
            Assert.Equal(file.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }

        Assert.Equal(3_000_000, koji.Files[0].Filesize);
        Assert.Equal(hub.ContentGenerator.Id.ToString(CultureInfo.InvariantCulture), File.ReadAllText(Path.Combine(uploaded, ".user")).Trim());
        // The log is osbuild's result rendered; the manifest is the generator's, with the compose's seed in it.
        Assert.Equal(OsbuildLog.Render(result.OsbuildOutput!.AsObject()), File.ReadAllText(Path.Combine(uploaded, Image + ".osbuild.log")));
        Assert.StartsWith("Pipeline: build\nStage: org.osbuild.rpm\nOutput:\n", File.ReadAllText(Path.Combine(uploaded, Image + ".osbuild.log")), StringComparison.Ordinal);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(uploaded, Image + ".manifest.json")))!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(outcome.Manifest!), manifest));
        Assert.Equal(42, (int)manifest["pipelines"]![0]!["stages"]![0]!["options"]!["seed"]!);
        // Live progress from osbuild's monitor, then the upload phase.
        Assert.Contains(reporter.Reports, r => r.Phase == ImageBuildPhase.Building && r.Progress is { Total: > 0 });
        Assert.Equal(ImageBuildPhase.Uploading, reporter.Reports[^1].Phase);
        Assert.Empty(Directory.GetFileSystemEntries(work.Builds));
    }

    [Fact]
    public async Task BuildAsync_FailsWithTheStageAndUploadsNothing_WhenOsbuildsStageFails()
    {
        await using var hub = await SimulatedHub.StartAsync();
        using var work = new TempTree();
        var step = Step(work, hub, new Dictionary<string, string> { ["OSBUILD_STANDIN_SCENARIO"] = "stage-failure" });
        var request = StepHarness.Request(hub.Url.AbsoluteUri);

        var outcome = await step.BuildAsync(request, new RecordingReporter(), CancellationToken.None);

        Assert.False(outcome.Success);
        Assert.Equal(JobErrorCodes.BuildJob, outcome.Error!.Id);
        Assert.Equal("osbuild build failed", outcome.Error.Reason);
        Assert.Contains("org.osbuild.", outcome.Error.Details!.ToJsonString(), StringComparison.Ordinal);
        var result = ImageBuildResult.FromJson(outcome.Result!);
        Assert.Equal("error", (string?)result.OsbuildOutput!["type"]);
        Assert.NotNull(outcome.Manifest);
        Assert.False(Directory.Exists(Path.Combine(hub.Hub.WorkDir, request.KojiUploadDirectory!)));
        Assert.Empty(Directory.GetFileSystemEntries(work.Builds));
    }

    private static OsbuildImageBuildStep Step(TempTree work, SimulatedHub hub, Dictionary<string, string> osbuildEnvironment)
    {
        var settings = new BuilderSettings
        {
            Osbuild = Standins.Osbuild,
            StoreDirectory = Path.Combine(work.Root, "store"),
            WorkDirectory = work.Builds,
            OsbuildEnvironment = osbuildEnvironment,
            ProgressInterval = TimeSpan.Zero,
            Generator = new ManifestGeneratorSettings { Command = Standins.ImageBuilder },
        };
        return new OsbuildImageBuildStep(
            settings,
            ImageTypeCatalogue.Load(),
            new ImageBuilderManifestGenerator(settings.Generator, NullLogger<ImageBuilderManifestGenerator>.Instance),
            new OsbuildRunner(settings, NullLogger<OsbuildRunner>.Instance),
            new KojiArtifactUploader(hub.ClientOptions(), SimulatedHub.ContentGeneratorIdentity, NullLogger<KojiArtifactUploader>.Instance),
            NullLogger<OsbuildImageBuildStep>.Instance,
            new UploadTargetSet(new TargetsOptions(), NullLoggerFactory.Instance));
    }

    private sealed class TempTree : IDisposable
    {
        private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("kc-e2e-");

        public TempTree() => Directory.CreateDirectory(Builds);

        public string Root => _root.FullName;

        public string Builds => Path.Combine(_root.FullName, "builds");

        public void Dispose() => _root.Delete(recursive: true);
    }
}
