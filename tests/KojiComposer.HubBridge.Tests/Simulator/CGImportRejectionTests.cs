using System.Text.Json.Nodes;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubBridge.Tests.Simulator;

/// <summary>
/// Every CGImport rejection of cg-import.md §4 with the stock hub's exact fault (observed/koji-hub-edge-cases.txt).
/// A rejection changes nothing: the build stays BUILDING and the reservation usable.
/// </summary>
public sealed class CGImportRejectionTests
{
    private static async Task<TFault> RejectedAsync<TFault>(ContentGeneratorScenario cg, Func<Task> import)
        where TFault : KojiFaultException
    {
        var fault = await Assert.ThrowsAsync<TFault>(import);
        var build = cg.Site.BuildRow(cg.Reservation.BuildId);
        Assert.Equal((BuildState.Building, cg.Reservation.Token), (build.State, build.ReservationToken));
        Assert.False(Directory.Exists(cg.BuildPath()));
        return fault;
    }

    private static Task<object?> RawImportAsync(ContentGeneratorScenario cg, object? metadata, string? directory = null, string? token = null) =>
        cg.Session.CallAsync(KojiCall.Write("CGImport", metadata, directory ?? cg.Directory, token ?? cg.Reservation.Token));

    private static async Task<ContentGeneratorScenario> UploadedAsync(SimulatorSite site, long? taskId = null)
    {
        var cg = await ContentGeneratorScenario.StartAsync(site, taskId);
        await cg.UploadImageAndLogAsync();
        return cg;
    }

    [Fact]
    public async Task MetadataVersion1_IsRefused()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await UploadedAsync(site);
        var metadata = cg.Metadata();
        metadata["metadata_version"] = 1;

        var fault = await RejectedAsync<KojiGenericErrorFault>(cg, () => cg.ImportAsync(metadata));

        Assert.Equal("No such metadata version: 1", fault.FaultString);
    }

    [Fact]
    public async Task MetadataVersionAsString_IsRefused()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await UploadedAsync(site);
        var metadata = cg.Metadata();
        metadata["metadata_version"] = "0";

        var fault = await RejectedAsync<KojiGenericErrorFault>(cg, () => cg.ImportAsync(metadata));

        Assert.Equal("No such metadata version: '0'", fault.FaultString);
    }

    [Fact]
    public async Task MetadataThatIsNotJson_IsRefusedWithItsText()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await UploadedAsync(site);

        var fault = await RejectedAsync<KojiGenericErrorFault>(cg, () => RawImportAsync(cg, "{\"metadata_version\": 0, "));

        Assert.Equal("Invalid json data: '{\"metadata_version\": 0, '", fault.FaultString);
    }

    [Fact]
    public async Task MetadataFileNameNotInTheDirectory_IsRefused()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await UploadedAsync(site);

        var fault = await RejectedAsync<KojiGenericErrorFault>(cg, () => RawImportAsync(cg, "nosuch.json"));

        Assert.Equal("No such file: nosuch.json", fault.FaultString);
    }

    [Fact]
    public async Task MetadataAsUploadedFile_IsImported()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await UploadedAsync(site);
        var json = cg.Metadata().ToJsonString();
        await cg.Session.UploadAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), cg.Directory, "metadata.json");

        await RawImportAsync(cg, null);

        Assert.Equal(BuildState.Complete, cg.Site.BuildRow(cg.Reservation.BuildId).State);
        Assert.Equal(json, await File.ReadAllTextAsync(cg.BuildPath("metadata.json")));
    }

    [Fact]
    public async Task WrongToken_IsRefused()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await UploadedAsync(site);

        var fault = await RejectedAsync<KojiGenericErrorFault>(cg, () => RawImportAsync(cg, cg.Metadata().ToJsonString(), token: new string('0', 64)));

        Assert.Equal($"Token doesn't match build ID {cg.Reservation.BuildId}", fault.FaultString);
    }

    [Fact]
    public async Task TokenWithoutBuildIdInMetadata_IsRefused()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await UploadedAsync(site);
        var metadata = cg.Metadata();
        metadata["build"]!.AsObject().Remove("build_id");

        var fault = await RejectedAsync<KojiGenericErrorFault>(cg, () => cg.ImportAsync(metadata));

        Assert.Equal("Reservation token given, but no build_id in metadata", fault.FaultString);
    }

    [Fact]
    public async Task ReleaseDifferentFromTheReservation_IsRefused()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await UploadedAsync(site);
        var metadata = cg.Metadata();
        metadata["build"]!["release"] = "2";

        var fault = await RejectedAsync<KojiGenericErrorFault>(cg, () => cg.ImportAsync(metadata));

        Assert.Equal($"Build ({cg.Reservation.BuildId}) NVR is different", fault.FaultString);
    }

    [Fact]
    public async Task UnknownContentGeneratorInBuildroot_IsRefused()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await UploadedAsync(site);
        var metadata = cg.Metadata();
        metadata["buildroots"]![0]!["content_generator"]!["name"] = "nosuchcg";

        var fault = await RejectedAsync<KojiGenericErrorFault>(cg, () => cg.ImportAsync(metadata));

        Assert.Equal("No such entry in table content_generator: nosuchcg", fault.FaultString);
    }

    [Fact]
    public async Task ImportByAUserWithoutCgAccess_IsRefused()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await UploadedAsync(site);
        await using var releng = await site.LoginUserAsync();

        var fault = await RejectedAsync<KojiAuthErrorFault>(cg, () => releng.CGImportAsync(cg.Metadata().ToJsonString(), cg.Directory, cg.Reservation));

        Assert.Equal("Content generator access required (osbuild)", fault.FaultString);
    }

    [Fact]
    public async Task BuildrootNoOutputUses_IsRefused()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await UploadedAsync(site);
        var metadata = cg.Metadata();
        var second = metadata["buildroots"]![0]!.DeepClone();
        second["id"] = 1;
        metadata["buildroots"]!.AsArray().Add(second);

        var fault = await RejectedAsync<KojiGenericErrorFault>(cg, () => cg.ImportAsync(metadata));

        Assert.Equal("Buildroot id not used in output: 1", fault.FaultString);
    }

    [Fact]
    public async Task BuildExtraWithoutTypeinfoImage_IsRefused()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await UploadedAsync(site);
        var metadata = cg.Metadata();
        metadata["build"]!["extra"] = new JsonObject();

        var fault = await RejectedAsync<KojiGenericErrorFault>(cg, () => cg.ImportAsync(metadata));

        Assert.Equal("Output type image not listed in build types", fault.FaultString);
    }

    [Fact]
    public async Task ImageOutputWithoutExtra_IsRefused()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await UploadedAsync(site);
        var metadata = cg.Metadata();
        metadata["output"]![0]!.AsObject().Remove("extra");

        var fault = await RejectedAsync<KojiGenericErrorFault>(cg, () => cg.ImportAsync(metadata));

        Assert.Equal($"No typeinfo for: {cg.Image}", fault.FaultString);
    }

    [Fact]
    public async Task OutputFileNotUploaded_IsAFileNotFoundErrorWithTheHubsPath()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await UploadedAsync(site);
        var metadata = cg.Metadata();
        metadata["output"]![0]!["filename"] = "Fedora-Cloud-42-1.x86_64.missing.qcow2";

        var fault = await RejectedAsync<KojiHubInternalFault>(cg, () => cg.ImportAsync(metadata));

        Assert.Equal(
            $"<class 'FileNotFoundError'>: [Errno 2] No such file or directory: '{site.Hub.WorkDir}/{cg.Directory}/./Fedora-Cloud-42-1.x86_64.missing.qcow2'",
            fault.FaultString);
    }

    [Fact]
    public async Task UploadDirectoryThatDoesNotExist_IsAFileNotFoundError()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await UploadedAsync(site);
        var elsewhere = ContentGeneratorScenario.NewDirectory();

        var fault = await RejectedAsync<KojiHubInternalFault>(cg, () => cg.ImportAsync(cg.Metadata(), elsewhere));

        Assert.Equal($"<class 'FileNotFoundError'>: [Errno 2] No such file or directory: '{site.Hub.WorkDir}/{elsewhere}/./{cg.Image}'", fault.FaultString);
    }

    [Fact]
    public async Task FileSizeDifferentFromTheUpload_IsRefusedAsCorruptedUpload()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await UploadedAsync(site);
        var metadata = cg.Metadata();
        metadata["output"]![0]!["filesize"] = 70005;

        var fault = await RejectedAsync<KojiGenericErrorFault>(cg, () => cg.ImportAsync(metadata));

        Assert.Equal($"File size 70004 for {cg.Image} (expected 70005) doesn't match. Corrupted upload?", fault.FaultString);
    }

    [Fact]
    public async Task Md5Mismatch_IsRefusedWithBothValues()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await UploadedAsync(site);
        var metadata = cg.Metadata();
        var md5 = (string)metadata["output"]![0]!["checksum"]!;
        metadata["output"]![0]!["checksum"] = new string('0', 32);

        var fault = await RejectedAsync<KojiGenericErrorFault>(cg, () => cg.ImportAsync(metadata));

        Assert.Equal($"File checksum mismatch for {cg.Image}: {new string('0', 32)} != {md5}", fault.FaultString);
    }

    [Fact]
    public async Task Sha256ChecksumTypeWithTheMd5Value_IsRefusedWithTheSha256()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await UploadedAsync(site);
        var metadata = cg.Metadata();
        var md5 = (string)metadata["output"]![0]!["checksum"]!;
        metadata["output"]![0]!["checksum_type"] = "sha256";
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(cg.UploadPath(cg.Image))));

        var fault = await RejectedAsync<KojiGenericErrorFault>(cg, () => cg.ImportAsync(metadata));

        Assert.Equal($"File checksum mismatch for {cg.Image}: {md5} != {sha256}", fault.FaultString);
    }

    [Fact]
    public async Task Sha1ChecksumType_IsUnsupported()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await UploadedAsync(site);
        var metadata = cg.Metadata();
        metadata["output"]![0]!["checksum_type"] = "sha1";

        var fault = await RejectedAsync<KojiGenericErrorFault>(cg, () => cg.ImportAsync(metadata));

        Assert.Equal("Unsupported verify type: sha1", fault.FaultString);
    }

    [Fact]
    public async Task TaskLinkedReservation_WithoutTheTaskIdInMetadata_IsOwnedByTheTask()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var releng = await site.LoginUserAsync();
        var taskId = await SimulatorSite.SubmitAsync(releng);
        var otherTask = await SimulatorSite.SubmitAsync(releng);
        await using var cg = await UploadedAsync(site, taskId);

        var absent = await RejectedAsync<KojiGenericErrorFault>(cg, () => cg.ImportAsync(cg.Metadata()));
        var other = await RejectedAsync<KojiGenericErrorFault>(cg, () => cg.ImportAsync(cg.Metadata(otherTask)));

        Assert.Equal($"Build is owned by task {taskId}", absent.FaultString);
        Assert.Equal($"Build is owned by task {taskId}", other.FaultString);
    }

    [Fact]
    public async Task RejectedImport_LeavesTheReservationUsable_ForACorrectedImport()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await UploadedAsync(site);
        var wrong = cg.Metadata();
        wrong["output"]![0]!["filesize"] = 1;
        await RejectedAsync<KojiGenericErrorFault>(cg, () => cg.ImportAsync(wrong));

        var imported = await cg.ImportAsync(cg.Metadata());

        Assert.Equal(KojiComposer.HubBridge.Calls.KojiBuildState.Complete, imported.State);
    }
}
