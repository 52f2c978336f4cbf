using System.Text.Json.Nodes;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Tests.Engine;
using KojiComposer.Testing.Time;
using static KojiComposer.Scheduler.Tests.Koji.ContentGeneratorTestComposes;

namespace KojiComposer.Scheduler.Tests.Koji;

/// <summary>ImportAsync against the simulated hub (cg-import.md §4, §6).</summary>
public sealed class ContentGeneratorImportTests
{
    [Fact]
    public async Task ImportAsync_CompletesTheBuild_WithTheImageArchiveTheManifestAndTheBuildLog()
    {
        await using var hub = await ContentGeneratorTestHub.StartAsync();
        var task = hub.Hub.Hub.CreateTask("osbuildImage", ["Fedora-Cloud", "42", "fedora-42", "guest-image", "f42-candidate", new object?[] { "x86_64" }], "releng", channel: "image");
        var (reserved, reservation) = await hub.ReserveAsync(Pending(hub.Url, taskId: task.Id));
        var directory = KojiUploadDirectory.For(reserved.Id);
        var files = await hub.UploadImageAsync(directory, reserved.Nvr);
        var compose = Built(reserved, reservation, Result("x86_64", directory, files, payload: [Rpm("kernel-core")], buildroot: [Rpm("coreutils")]));

        var result = await hub.Steps.ImportAsync(compose, CancellationToken.None);

        var json = Assert.IsType<JsonObject>(JsonNode.Parse(result!));
        Assert.Equal(reservation.BuildId, (long)json["build_id"]!);
        Assert.Equal(string.Empty, (string?)json["koji_error"]);
        Assert.DoesNotContain(reservation.Token, result, StringComparison.Ordinal);
        await using var session = await hub.LoginAsCgAsync();
        var build = await session.GetBuildAsync(reservation.BuildId);
        Assert.Equal((KojiBuildState.Complete, task.Id, "osbuild-cg"), (build!.State, build.TaskId, build.OwnerName));
        var archives = await session.ListArchivesAsync(reservation.BuildId);
        Assert.Equal(2, archives.Count); // the log is a build log, not an archive
        var image = Assert.Single(archives, a => a.Filename == "Fedora-Cloud-42-1.x86_64.qcow2");
        Assert.Equal(("qcow2", "image", 70_004L, files[0].Md5), (image.TypeName, image.Btype, image.Size, image.Checksum));
        var imageExtra = Assert.IsType<XmlRpcStruct>(image.Extra!["image"]);
        Assert.Equal("x86_64", imageExtra["arch"]);
        Assert.Equal("hybrid", imageExtra["boot_mode"]);
        var manifest = Assert.Single(archives, a => a.Filename == "Fedora-Cloud-42-1.x86_64.qcow2.manifest.json");
        Assert.Equal("json", manifest.TypeName);
        var buildDir = Path.Combine(hub.Hub.Hub.KojiDir, "packages", "Fedora-Cloud", "42", "1");
        Assert.True(File.Exists(Path.Combine(buildDir, "images", "Fedora-Cloud-42-1.x86_64.qcow2")));
        Assert.True(File.Exists(Path.Combine(buildDir, "data", "logs", "Fedora-Cloud-42-1.x86_64.qcow2.osbuild.log")));
        // The metadata went inline, as one compact JSON string.
        var import = Assert.Single(hub.Hub.Hub.CallsTo("CGImport"));
        var sent = Assert.IsType<string>(import.Params[0]);
        Assert.StartsWith("{\"metadata_version\":0,", sent, StringComparison.Ordinal);
        Assert.Equal(directory, import.Params[1]);
    }

    [Fact]
    public async Task ImportAsync_ImportsEveryArch_IntoOneBuildWithABuildrootEach()
    {
        await using var hub = await ContentGeneratorTestHub.StartAsync();
        var (reserved, reservation) = await hub.ReserveAsync(Pending(hub.Url));
        var directory = KojiUploadDirectory.For(reserved.Id);
        var x86 = await hub.UploadImageAsync(directory, reserved.Nvr);
        var arm = await hub.UploadImageAsync(directory, reserved.Nvr, "aarch64");

        await hub.Steps.ImportAsync(Built(reserved, reservation, Result("x86_64", directory, x86), Result("aarch64", directory, arm, bootMode: "uefi")), CancellationToken.None);

        await using var session = await hub.LoginAsCgAsync();
        var images = (await session.ListArchivesAsync(reservation.BuildId)).Where(a => a.TypeName == "qcow2")
            .Select(a => (a.Filename, ((XmlRpcStruct)a.Extra!["image"]!)["arch"])).Order().ToList();
        Assert.Equal([("Fedora-Cloud-42-1.aarch64.qcow2", "aarch64"), ("Fedora-Cloud-42-1.x86_64.qcow2", "x86_64")], images);
    }

    [Fact]
    public async Task ImportAsync_FailsBeforeCGImport_WhenAnOutputHasNoArchiveType_AndTheDirectoryStaysUsable()
    {
        await using var hub = await ContentGeneratorTestHub.StartAsync();
        var (reserved, reservation) = await hub.ReserveAsync(Pending(hub.Url));
        var directory = KojiUploadDirectory.For(reserved.Id);
        var zstd = await hub.UploadImageAsync(directory, reserved.Nvr, extension: ".raw.zst");

        var error = await Assert.ThrowsAsync<ComposeStepException>(() =>
            hub.Steps.ImportAsync(Built(reserved, reservation, Result("x86_64", directory, zstd)), CancellationToken.None));

        Assert.Equal(JobErrorCodes.KojiFinalize, error.Error.Id);
        Assert.False(error.IsTransient);
        Assert.Contains("Fedora-Cloud-42-1.x86_64.raw.zst", error.Error.Reason, StringComparison.Ordinal);
        Assert.Contains("no archive type", error.Error.Reason, StringComparison.Ordinal);
        Assert.Empty(hub.Hub.Hub.CallsTo("CGImport"));

        // Nothing was moved: the same directory and reservation take an import under a name the hub knows.
        var qcow2 = await hub.UploadImageAsync(directory, reserved.Nvr);
        await hub.Steps.ImportAsync(Built(reserved, reservation, Result("x86_64", directory, qcow2)), CancellationToken.None);
        await using var session = await hub.LoginAsCgAsync();
        Assert.Equal(KojiBuildState.Complete, (await session.GetBuildAsync(reservation.BuildId))!.State);
        Assert.Contains(await session.ListArchivesAsync(reservation.BuildId), a => a.Filename == "Fedora-Cloud-42-1.x86_64.qcow2");
    }

    [Fact]
    public async Task ImportAsync_TriesAgain_WhileTheHubSeesACorruptedUpload()
    {
        var clock = new ManualTimeProvider();
        await using var hub = await ContentGeneratorTestHub.StartAsync(clock);
        var (reserved, reservation) = await hub.ReserveAsync(Pending(hub.Url));
        var directory = KojiUploadDirectory.For(reserved.Id);
        var files = await hub.UploadImageAsync(directory, reserved.Nvr);
        // The hub's view of the image lags behind the upload for two imports.
        var stale = 2;
        hub.Hub.Hub.ImportSeesFileSize = (name, size) => name.EndsWith(".qcow2", StringComparison.Ordinal) && Interlocked.Decrement(ref stale) >= 0 ? size - 4096 : size;

        var import = hub.Steps.ImportAsync(Built(reserved, reservation, Result("x86_64", directory, files)), CancellationToken.None);
        await Eventually.TrueAsync(() =>
        {
            clock.Advance(TimeSpan.FromSeconds(1)); // the retry waits on the steps' clock
            return import.IsCompleted;
        }, "the import to finish");

        var result = JsonNode.Parse((await import)!)!;
        Assert.Equal(reservation.BuildId, (long)result["build_id"]!);
        var calls = hub.Hub.Hub.CallsTo("CGImport");
        Assert.Equal(3, calls.Count);
        Assert.All(calls.Take(2), c => Assert.Contains("doesn't match. Corrupted upload?", c.FaultString, StringComparison.Ordinal));
        Assert.Null(calls[2].FaultString);
    }

    [Fact]
    public async Task ImportAsync_FailsWithTheHubsText_WhenCGImportRefusesForGood()
    {
        await using var hub = await ContentGeneratorTestHub.StartAsync();
        var (reserved, reservation) = await hub.ReserveAsync(Pending(hub.Url));
        var directory = KojiUploadDirectory.For(reserved.Id);
        var files = (await hub.UploadImageAsync(directory, reserved.Nvr)).ToList();
        files[0] = files[0] with { Md5 = new string('0', 32) };

        var error = await Assert.ThrowsAsync<ComposeStepException>(() =>
            hub.Steps.ImportAsync(Built(reserved, reservation, Result("x86_64", directory, files)), CancellationToken.None));

        Assert.Equal(JobErrorCodes.KojiFinalize, error.Error.Id);
        Assert.False(error.IsTransient);
        Assert.Contains("File checksum mismatch for Fedora-Cloud-42-1.x86_64.qcow2", error.Error.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(reservation.Token, error.Error.Reason, StringComparison.Ordinal);
        Assert.Single(hub.Hub.Hub.CallsTo("CGImport"));
        await using var session = await hub.LoginAsCgAsync();
        Assert.Equal(KojiBuildState.Building, (await session.GetBuildAsync(reservation.BuildId))!.State); // still refundable
    }

    [Fact]
    public async Task ImportAsync_UploadsTheMetadata_WhenItWouldExceedTheHubsRequestLimit()
    {
        await using var hub = await ContentGeneratorTestHub.StartAsync();
        var (reserved, reservation) = await hub.ReserveAsync(Pending(hub.Url));
        var directory = KojiUploadDirectory.For(reserved.Id);
        var files = await hub.UploadImageAsync(directory, reserved.Nvr);
        // 40 000 build-root RPMs: about 6 MB of metadata, past the hub's 4 MiB MaxRequestLength.
        var rpms = Enumerable.Range(0, 40_000).Select(i => Rpm($"package-{i:D5}")).ToList();

        await hub.Steps.ImportAsync(Built(reserved, reservation, Result("x86_64", directory, files, buildroot: rpms)), CancellationToken.None);

        var import = Assert.Single(hub.Hub.Hub.CallsTo("CGImport"));
        Assert.Equal("metadata.json", import.Params[0]);
        Assert.Null(import.FaultString);
        var stored = File.ReadAllText(Path.Combine(hub.Hub.Hub.KojiDir, "packages", "Fedora-Cloud", "42", "1", "metadata.json"));
        Assert.True(stored.Length > 4_194_304, $"metadata of {stored.Length} bytes");
        Assert.Equal(40_000, JsonNode.Parse(stored)!["buildroots"]![0]!["components"]!.AsArray().Count);
    }

    [Fact]
    public async Task ImportAsync_ReportsTheBuild_WhenAnEarlierImportCompletedIt()
    {
        await using var hub = await ContentGeneratorTestHub.StartAsync();
        var (reserved, reservation) = await hub.ReserveAsync(Pending(hub.Url));
        var directory = KojiUploadDirectory.For(reserved.Id);
        var compose = Built(reserved, reservation, Result("x86_64", directory, await hub.UploadImageAsync(directory, reserved.Nvr)));
        var first = await hub.Steps.ImportAsync(compose, CancellationToken.None);

        // The finalize step runs again after a crash that lost the first import's reply.
        var again = await hub.Steps.ImportAsync(compose, CancellationToken.None);

        Assert.Equal(first, again);
        Assert.Single(hub.Hub.Hub.CallsTo("CGImport"));
    }

    [Fact]
    public async Task ImportAsync_FailsWithKojiFinalize_WhenTheHubCancelledTheBuild()
    {
        await using var hub = await ContentGeneratorTestHub.StartAsync();
        var (reserved, reservation) = await hub.ReserveAsync(Pending(hub.Url));
        var directory = KojiUploadDirectory.For(reserved.Id);
        var compose = Built(reserved, reservation, Result("x86_64", directory, await hub.UploadImageAsync(directory, reserved.Nvr)));
        await using (var session = await hub.LoginAsCgAsync())
        {
            Assert.True(await session.CancelBuildAsync(reservation.BuildId));
        }

        var error = await Assert.ThrowsAsync<ComposeStepException>(() => hub.Steps.ImportAsync(compose, CancellationToken.None));

        Assert.Equal(JobErrorCodes.KojiFinalize, error.Error.Id);
        Assert.Contains("is CANCELED", error.Error.Reason, StringComparison.Ordinal);
        Assert.Empty(hub.Hub.Hub.CallsTo("CGImport"));
    }

    [Fact]
    public async Task ImportAsync_FailsWithKojiFinalize_WhenAnImageHasNoKojiFiles()
    {
        await using var hub = await ContentGeneratorTestHub.StartAsync();
        var (reserved, reservation) = await hub.ReserveAsync(Pending(hub.Url));
        var compose = Built(reserved, reservation, Result("x86_64", KojiUploadDirectory.For(reserved.Id), []));

        var error = await Assert.ThrowsAsync<ComposeStepException>(() => hub.Steps.ImportAsync(compose, CancellationToken.None));

        Assert.Equal(JobErrorCodes.KojiFinalize, error.Error.Id);
        Assert.Contains("uploaded no files to Koji", error.Error.Reason, StringComparison.Ordinal);
        Assert.Empty(hub.Hub.Hub.CallsTo("CGImport"));
    }
}
