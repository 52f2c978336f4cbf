using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubBridge.Uploads;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubBridge.Tests.Simulator;

/// <summary>A successful Content Generator import (cg-import.md §2-§4, §6.3) and where its files land.</summary>
public sealed class ContentGeneratorImportTests
{
    [Fact]
    public async Task CGInitBuild_ReservesABuildingBuild_OwnedByTheCgUser()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await ContentGeneratorScenario.StartAsync(site);

        var build = await cg.Session.GetBuildAsync(cg.Reservation.BuildId);

        Assert.Matches("^[0-9a-f]{64}$", cg.Reservation.Token);
        Assert.Equal((KojiBuildState.Building, "osbuild", "osbuild-cg", (long?)null), (build!.State, build.CgName, build.OwnerName, build.TaskId));
        Assert.Null(build.Raw["completion_time"]);
        Assert.Equal("Fedora-Cloud-42-1", build.Nvr);
        Assert.Equal(cg.Reservation.Token, site.BuildRow(build.Id).ReservationToken);
    }

    [Fact]
    public async Task CGImport_CompletesTheBuild_MovesItsFilesIntoPackages_AndListsItsArchives()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await ContentGeneratorScenario.StartAsync(site);
        var manifest = cg.Image + ".manifest.json";
        await cg.UploadImageAndLogAsync();
        await cg.UploadAsync(manifest, size: 1834);
        var metadata = cg.Metadata(outputs: [cg.ImageOutput(cg.Image), cg.ImageOutput(manifest), cg.LogOutput(cg.Log)]);

        var imported = await cg.ImportAsync(metadata);
        var archives = await cg.Session.ListArchivesAsync(imported.Id);

        Assert.Equal((cg.Reservation.BuildId, KojiBuildState.Complete, "osbuild-cg"), (imported.Id, imported.State, imported.OwnerName));
        Assert.Null(site.BuildRow(imported.Id).ReservationToken);
        Assert.Equal([(cg.Image, "qcow2", 70004L), (manifest, "json", 1834L)], archives.Select(a => (a.Filename, a.TypeName, a.Size)));
        Assert.All(archives, a => Assert.Equal(("image", 0), (a.Btype, a.ChecksumType)));
        Assert.Equal("x86_64", ((XmlRpcStruct)archives[0].Extra!["image"]!)["arch"]);
        Assert.True(File.Exists(cg.BuildPath("images", cg.Image)));
        Assert.True(File.Exists(cg.BuildPath("images", manifest)));
        Assert.Equal(17, new FileInfo(cg.BuildPath("data", "logs", cg.Log)).Length);
        Assert.Equal(metadata.ToJsonString(), await File.ReadAllTextAsync(cg.BuildPath("metadata.json")));
        Assert.Equal(Path.Combine("..", "..", "..", "packages", "Fedora-Cloud", "42", "1", "images", cg.Image), new FileInfo(cg.UploadPath(cg.Image)).LinkTarget);
    }

    [Fact]
    public async Task CGImport_WithTheTaskId_LinksBuildAndTask()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        await using var releng = await site.LoginUserAsync();
        var taskId = await site.OpenTaskAsync(host, releng);
        await using var cg = await ContentGeneratorScenario.StartAsync(site, taskId);
        await cg.UploadImageAndLogAsync();

        var reserved = await cg.Session.GetBuildAsync(cg.Reservation.BuildId);
        var imported = await cg.ImportAsync(cg.Metadata(taskId));

        Assert.Equal(taskId, reserved!.TaskId);
        Assert.Equal((KojiBuildState.Complete, (long?)taskId), (imported.State, imported.TaskId));
    }

    [Fact]
    public async Task CGImport_AgainWithTheUsedToken_IsRefused()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await ContentGeneratorScenario.StartAsync(site);
        await cg.UploadImageAndLogAsync();
        await cg.ImportAsync(cg.Metadata());
        cg.Directory = ContentGeneratorScenario.NewDirectory();
        await cg.UploadImageAndLogAsync();

        var again = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => cg.ImportAsync(cg.Metadata()));
        var refund = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => cg.Session.CGRefundBuildAsync("osbuild", cg.Reservation, 3));

        Assert.Equal($"Token doesn't match build ID {cg.Reservation.BuildId}", again.FaultString);
        Assert.Equal($"Build ID {cg.Reservation.BuildId} is not in BUILDING state", refund.FaultString);
    }

    [Theory]
    [InlineData(".qcow2", "qcow2", 21)]
    [InlineData(".raw", "raw", 19)]
    [InlineData(".raw.xz", "raw-xz", 45)]
    [InlineData(".vhd", "vhd", 41)]
    [InlineData(".vhd.xz", "vhd-compressed", 63)]
    [InlineData(".vhdx", "vhdx", 42)]
    [InlineData(".vmdk", "vmdk", 22)]
    [InlineData(".ova", "ova", 23)]
    [InlineData(".iso", "iso", 18)]
    [InlineData(".tar", "tar", 4)]
    [InlineData(".tar.gz", "tar", 4)]
    [InlineData(".tar.xz", "tar", 4)]
    [InlineData(".wsl", "wsl", 76)]
    [InlineData(".box", "box", 44)]
    [InlineData(".img", "initramfs", 67)]
    [InlineData(".qcow2.manifest.json", "json", 46)]
    [InlineData(".qcow2.image-os.spdx.json", "json", 46)]
    public async Task CGImport_DerivesTheArchiveTypeFromTheFileName(string extension, string typeName, int typeId)
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await ContentGeneratorScenario.StartAsync(site);
        var image = $"Fedora-Cloud-42-1.x86_64{extension}";
        await cg.UploadAsync(image, size: 512);
        await cg.UploadAsync(cg.Log, size: 17);

        await cg.ImportAsync(cg.Metadata(outputs: [cg.ImageOutput(image), cg.LogOutput(cg.Log)]));
        var rows = await cg.Session.CallAsync(KojiCall.Read("listArchives", KojiKeywordArguments.Of(("buildID", cg.Reservation.BuildId))));

        var row = Assert.IsType<XmlRpcStruct>(Assert.Single(Assert.IsType<object?[]>(rows)));
        Assert.Equal((typeName, typeId, "image", 4), (row["type_name"], row["type_id"], row["btype"], row["btype_id"]));
        Assert.True(File.Exists(cg.BuildPath("images", image)));
    }

    [Theory]
    [InlineData("x.raw.zst", null)]
    [InlineData("x.vhd.zst", null)]
    [InlineData("x.tar.zst", null)]
    [InlineData("x.xz", null)]
    [InlineData("x.gz", null)]
    [InlineData("x.qcow2.xz", "qcow2-compressed")]
    [InlineData("x.raw.gz", "raw-gz")]
    [InlineData("x.iso.xz", "iso-compressed")]
    [InlineData("x.vmdk.xz", "vmdk-compressed")]
    [InlineData("x.tgz", "tar")]
    public async Task GetArchiveType_AnswersTheImportsLookup_WithoutImporting(string filename, string? typeName)
    {
        await using var site = await SimulatorSite.StartAsync();
        using var anonymous = new KojiHubConnection(site.Simulated.ClientOptions());

        Assert.Equal(typeName, await anonymous.GetArchiveTypeNameAsync(filename));
    }

    [Fact]
    public async Task Upload_IntoAnotherUsersCgDirectory_IsRefused()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await ContentGeneratorScenario.StartAsync(site);
        await using var releng = await site.LoginUserAsync();
        await cg.UploadAsync(cg.Image, size: 10);

        var refused = await Assert.ThrowsAsync<KojiUploadException>(() => releng.UploadAsync(new MemoryStream([1, 2, 3]), cg.Directory, "intruder.log"));

        var fault = Assert.IsType<KojiGenericErrorFault>(refused.InnerException);
        Assert.Equal($"Invalid upload directory, not owner: {cg.Directory}", fault.FaultString);
        Assert.Equal($"{site.Simulated.ContentGenerator.Id}", await File.ReadAllTextAsync(cg.UploadPath(".user")));
        Assert.False(File.Exists(cg.UploadPath("intruder.log")));
    }
}
