using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Uploads;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubBridge.Tests.Simulator;

/// <summary>
/// cg-import.md §4 step 7, as observed: an output without archive type fails the import after earlier outputs were
/// moved, so they stay behind as dangling symlinks in the upload directory; only a fresh directory recovers.
/// </summary>
public sealed class CGImportPartialFailureTests
{
    [Fact]
    public async Task UnsupportedExtension_FailsAfterEarlierOutputsMoved_LeavingDanglingSymlinks()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await ContentGeneratorScenario.StartAsync(site);
        var zstd = "Fedora-Cloud-42-1.x86_64.raw.zst";
        await cg.UploadImageAndLogAsync();
        await cg.UploadAsync(zstd, size: 300);
        var metadata = cg.Metadata(outputs: [cg.ImageOutput(cg.Image), cg.ImageOutput(zstd), cg.LogOutput(cg.Log)]);

        var fault = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => cg.ImportAsync(metadata));

        Assert.Equal($"unsupported file extension: {zstd}", fault.FaultString);
        var moved = new FileInfo(cg.UploadPath(cg.Image));
        Assert.Equal(Path.Combine("..", "..", "..", "packages", "Fedora-Cloud", "42", "1", "images", cg.Image), moved.LinkTarget);
        Assert.False(File.Exists(cg.BuildPath("images", cg.Image)));
        Assert.False(Directory.Exists(cg.BuildPath()));
        Assert.Null(new FileInfo(cg.UploadPath(zstd)).LinkTarget);
        Assert.Null(new FileInfo(cg.UploadPath(cg.Log)).LinkTarget);
        var build = site.BuildRow(cg.Reservation.BuildId);
        Assert.Equal((BuildState.Building, cg.Reservation.Token), (build.State, build.ReservationToken));
        Assert.Empty(await cg.Session.ListArchivesAsync(cg.Reservation.BuildId));
    }

    [Fact]
    public async Task AfterThePartialFailure_TheUploadDirectoryIsUnusable_AndAFreshOneImports()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await ContentGeneratorScenario.StartAsync(site);
        var zstd = "Fedora-Cloud-42-1.x86_64.raw.zst";
        await cg.UploadImageAndLogAsync();
        await cg.UploadAsync(zstd, size: 300);
        await Assert.ThrowsAsync<KojiGenericErrorFault>(() => cg.ImportAsync(cg.Metadata(outputs: [cg.ImageOutput(cg.Image), cg.ImageOutput(zstd), cg.LogOutput(cg.Log)])));

        var check = await cg.Session.CheckUploadAsync(cg.Directory, cg.Image);
        var retry = await Assert.ThrowsAsync<KojiHubInternalFault>(() => cg.ImportAsync(cg.Metadata()));
        var reupload = await Assert.ThrowsAsync<KojiUploadException>(() => cg.UploadAsync(cg.Image));
        var old = cg.Directory;
        cg.Directory = ContentGeneratorScenario.NewDirectory();
        await cg.UploadImageAndLogAsync();
        var imported = await cg.ImportAsync(cg.Metadata());

        Assert.Null(check);
        Assert.Equal($"<class 'FileNotFoundError'>: [Errno 2] No such file or directory: '{site.Hub.WorkDir}/{old}/./{cg.Image}'", retry.FaultString);
        var symlink = Assert.IsType<KojiGenericErrorFault>(reupload.InnerException);
        Assert.Equal($"destination is a symlink: {site.Hub.WorkDir}/{old}/{cg.Image}", symlink.FaultString);
        Assert.Equal(KojiBuildState.Complete, imported.State);
        Assert.True(File.Exists(cg.BuildPath("images", cg.Image)));
    }
}
