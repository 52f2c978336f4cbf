using System.Security.Cryptography;
using KojiComposer.Builder.Osbuild;
using KojiComposer.Builder.Uploads;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.HubBridge.Transport;
using KojiComposer.Testing.Hub;
using Microsoft.Extensions.Logging.Abstractions;

namespace KojiComposer.Builder.Tests.Worker;

/// <summary>The build step against the hub simulator: what lands in the compose's upload directory and what the
/// stored result tells the import about it.</summary>
public sealed class KojiUploadBuildTests
{
    private const string Image = "Fedora-Cloud-42-1.x86_64.qcow2";

    [Fact]
    public async Task BuildAsync_UploadsAMultiGiBImageThroughDroppedConnections_AndRecordsExactlyWhatTheHubHolds()
    {
        await using var hub = await SimulatedHub.StartAsync();
        var options = hub.ClientOptions();
        using var harness = new StepHarness(Uploader(options));
        // Past 2^31 bytes, sparse with random blocks: cheap to make, still every offset and digest matters.
        const long Size = (2L << 30) + 12_345;
        var sampleAt = new[] { 0L, 1L << 30, (2L << 30) - 100, Size - 4096 };
        harness.Osbuild.Export = (request, ct) => Task.Run(() => WriteSparse(Path.Combine(request.OutputDirectory, request.Export, "disk.qcow2"), Size, sampleAt), ct);
        var chunk = options.UploadChunkBytes;
        var dropAt = 10L * chunk;
        var drops = 0;
        // Six drops of the same chunk in a row: the session's own resends (5) give up, the uploader resumes.
        hub.Hub.BreakUpload = request => request.Name == Image && request.Offset == dropAt && drops++ < 6 ? chunk / 2 : null;
        var request = StepHarness.Request(hub.Url.AbsoluteUri);

        var outcome = await harness.BuildAsync(request);

        Assert.True(outcome.Success, outcome.Error?.ToString());
        Assert.Equal(7, drops);
        var koji = ImageBuildResult.FromJson(outcome.Result!).Koji!;
        Assert.Equal(request.KojiUploadDirectory, koji.Directory);
        Assert.Equal([Image, Image + ".manifest.json", Image + ".osbuild.log", Image + ".image-os.spdx.json"], koji.Files.Select(f => f.Filename));
        Assert.Equal(["image", "osbuild-manifest", "log", "sbom-doc"], koji.Files.Select(f => f.Type));
        Assert.Equal(["x86_64", "x86_64", "noarch", "x86_64"], koji.Files.Select(f => f.Arch));
        Assert.Equal(Size, koji.Files[0].Filesize);
        await using var check = await hub.LoginAsync(SimulatedHub.ContentGeneratorIdentity);
        foreach (var file in koji.Files)
        {
            // md5 and size are what CGImport checks; sha256 of the small files only (one more 2 GiB pass adds nothing).
            var md5 = await check.CheckUploadAsync(koji.Directory, file.Filename, "md5");
            Assert.Equal((file.Filesize, file.Md5), (md5!.Size, md5.HexDigest));
            var sha256 = file.Type == "image" ? null : await check.CheckUploadAsync(koji.Directory, file.Filename, "sha256");
            Assert.Equal(file.Type == "image" ? null : file.Sha256, sha256?.HexDigest);
        }

        var uploaded = Path.Combine(hub.Hub.WorkDir, koji.Directory);
        Assert.Equal(hub.ContentGenerator.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(Path.Combine(uploaded, ".user")).Trim());
        Assert.StartsWith("{\n  \"version\": \"2\",\n  \"pipelines\": [\n    {\n      \"name\": \"build\"\n    },",
            File.ReadAllText(Path.Combine(uploaded, Image + ".manifest.json")), StringComparison.Ordinal);
        Assert.Equal("Pipeline: build, os\n", File.ReadAllText(Path.Combine(uploaded, Image + ".osbuild.log")));
        Assert.Empty(harness.LeftInWorkDirectory);
    }

    [Fact]
    public async Task BuildAsync_RecordsTheImportsFacts_AndReportsUploading()
    {
        await using var hub = await SimulatedHub.StartAsync();
        using var harness = new StepHarness(Uploader(hub.ClientOptions()));
        harness.Osbuild.Export = (request, _) =>
            FakeOsbuildRunner.WriteAsync(Path.Combine(request.OutputDirectory, request.Export, "image.qcow2"), [1, 2, 3]); // not disk.qcow2

        var outcome = await harness.BuildAsync(StepHarness.Request(hub.Url.AbsoluteUri));

        var result = ImageBuildResult.FromJson(outcome.Result!);
        var koji = result.Koji!;
        Assert.Equal(("qcow2", "image.qcow2", "hybrid"), (koji.ExportName, koji.ExportFilename, koji.BootMode));
        Assert.Equal(("image-builder", "41"), (koji.Generator, koji.GeneratorVersion));
        Assert.Equal(["bash"], koji.BuildrootComponents.Select(c => c.Name));
        Assert.Equal(["kernel"], koji.ImageComponents.Select(c => c.Name));
        Assert.Equal(("success", "fedora-42", "191"), (result.UploadStatus, result.HostOs, result.OsbuildVersion));
        var upload = Assert.Single(outcome.Uploads);
        Assert.Equal(("koji", true), (upload.Type, upload.Success));
        Assert.Equal(Image, (string?)upload.Options["image"]!["filename"]);
        Assert.Equal(koji.Files[0].Md5, (string?)upload.Options["image"]!["checksum"]);
        Assert.Equal(3, (long)upload.Options["image"]!["size"]!);
        Assert.Equal(Image + ".osbuild.log", (string?)upload.Options["log"]!["filename"]);
        var phases = harness.Reporter.Reports.Select(r => r.Phase).ToArray();
        Assert.Equal(ImageBuildPhase.Uploading, phases[^1]);
        Assert.Equal(ImageBuildPhase.Building, phases[0]);
    }

    [Fact]
    public async Task BuildAsync_ReportsTheUploadAsComplete_WhenAllOfASmallImageIsUploaded()
    {
        await using var hub = await SimulatedHub.StartAsync();
        using var harness = new StepHarness(Uploader(hub.ClientOptions()));

        var outcome = await harness.BuildAsync(StepHarness.Request(hub.Url.AbsoluteUri));

        Assert.True(outcome.Success, outcome.Error?.ToString());
        var last = harness.Reporter.Reports[^1];
        Assert.Equal(ImageBuildPhase.Uploading, last.Phase);
        Assert.Equal((1, 1, "koji upload"), (last.Progress!.Done, last.Progress.Total, last.Progress.Stage));
    }

    [Fact]
    public async Task BuildAsync_UploadsTheManifestsTextUnescaped_WhenItHoldsBase64AndNonAsciiText()
    {
        await using var hub = await SimulatedHub.StartAsync();
        using var harness = new StepHarness(Uploader(hub.ClientOptions()));
        harness.Generator.ManifestText = """
            {"version":"2","pipelines":[{"name":"os","stages":[{"type":"org.osbuild.users","options":{"users":{"jose":{"description":"José <admin> & O'Neil"}}}}]}],
             "sources":{"org.osbuild.inline":{"items":{"sha256:00":{"encoding":"base64","data":"aGk+Pz8/+w=="}}}}}
            """;
        var request = StepHarness.Request(hub.Url.AbsoluteUri);

        var outcome = await harness.BuildAsync(request);

        Assert.True(outcome.Success, outcome.Error?.ToString());
        var text = File.ReadAllText(Path.Combine(hub.Hub.WorkDir, request.KojiUploadDirectory!, Image + ".manifest.json"));
        Assert.Contains("\"description\": \"José <admin> & O'Neil\"", text, StringComparison.Ordinal);
        Assert.Contains("\"data\": \"aGk+Pz8/+w==\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAsync_Throws2AndRemovesItsWorkDirectory_WhenTheComposeNamesAnotherHub()
    {
        await using var hub = await SimulatedHub.StartAsync();
        using var harness = new StepHarness(Uploader(hub.ClientOptions()));

        var error = await Assert.ThrowsAsync<ComposeStepException>(() => harness.BuildAsync(StepHarness.Request("https://koji.example.com/kojihub")));

        Assert.Equal(JobErrorCodes.InvalidTargetConfig, error.Error.Id);
        Assert.Empty(harness.LeftInWorkDirectory);
        Assert.Empty(hub.Hub.CallsTo("rawUpload"));
    }

    [Fact]
    public async Task BuildAsync_ThrowsCanceledLogsOutAndRemovesItsWorkDirectory_WhenCanceledDuringTheUpload()
    {
        await using var hub = await SimulatedHub.StartAsync();
        var options = hub.ClientOptions() with { UploadChunkBytes = 64 * 1024 };
        using var harness = new StepHarness(Uploader(options));
        harness.Osbuild.Export = (request, _) =>
            FakeOsbuildRunner.WriteAsync(Path.Combine(request.OutputDirectory, request.Export, "disk.qcow2"), RandomNumberGenerator.GetBytes(10 * 64 * 1024));
        using var cancel = new CancellationTokenSource();
        hub.Hub.BreakUpload = request =>
        {
            if (request.Offset == 3 * 64 * 1024)
            {
                cancel.Cancel(); // the compose is canceled while the image is on its way
            }

            return null;
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.BuildAsync(StepHarness.Request(hub.Url.AbsoluteUri), cancel.Token));

        Assert.Empty(harness.LeftInWorkDirectory);
        Assert.Single(hub.Hub.CallsTo("logout"));
        Assert.True(hub.Hub.CallsTo("rawUpload").Count < 10);
    }

    [Fact]
    public async Task BuildAsync_DoesNotUploadAFailedBuild()
    {
        await using var hub = await SimulatedHub.StartAsync();
        using var harness = new StepHarness(Uploader(hub.ClientOptions()));
        harness.Osbuild.Failure = FakeOsbuildRunner.StageFailure();

        var outcome = await harness.BuildAsync(StepHarness.Request(hub.Url.AbsoluteUri));

        Assert.Equal(JobErrorCodes.BuildJob, outcome.Error!.Id);
        Assert.Empty(outcome.Uploads);
        Assert.Empty(hub.Hub.Calls);
    }

    private static KojiArtifactUploader Uploader(KojiHubOptions options) =>
        new(options, SimulatedHub.ContentGeneratorIdentity, NullLogger<KojiArtifactUploader>.Instance);

    private static void WriteSparse(string path, long size, IEnumerable<long> blocksAt)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = new FileStream(path, FileMode.CreateNew);
        file.SetLength(size);
        foreach (var at in blocksAt)
        {
            file.Position = at;
            file.Write(RandomNumberGenerator.GetBytes((int)Math.Min(4096, size - at)));
        }
    }
}
