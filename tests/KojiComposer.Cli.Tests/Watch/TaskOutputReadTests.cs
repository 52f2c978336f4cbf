using System.Text;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.Testing.Hub;

namespace KojiComposer.Cli.Tests.Watch;

/// <summary>The typed task-output reads watch uses on the hub (koji-wire.md §8.5), anonymous.</summary>
public sealed class TaskOutputReadTests : IAsyncLifetime
{
    private const long TaskId = 12345;
    private SimulatedHub _hub = null!;

    public async Task InitializeAsync()
    {
        _hub = await SimulatedHub.StartAsync();
        var dir = Path.Combine(_hub.Hub.WorkDir, "tasks", "2345", "12345");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "compose-status.json"), "{\"status\": \"pending\"}");
    }

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task ListTaskOutputFiles_GivesEachFilesSizeAndModificationTime()
    {
        using var hub = new KojiHubConnection(_hub.ClientOptions());

        var files = await hub.ListTaskOutputFilesAsync(TaskId);

        var file = Assert.Single(files).Value;
        Assert.Equal(("compose-status.json", 21L), (file.Name, file.Size));
        Assert.InRange(file.ModifiedAt, DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds());
        Assert.Empty(await hub.ListTaskOutputFilesAsync(TaskId + 1));
    }

    [Fact]
    public async Task DownloadTaskOutput_GivesTheBytes_WholeOrARange()
    {
        using var hub = new KojiHubConnection(_hub.ClientOptions());

        Assert.Equal("{\"status\": \"pending\"}", Encoding.UTF8.GetString(await hub.DownloadTaskOutputAsync(TaskId, "compose-status.json")));
        Assert.Equal("status", Encoding.UTF8.GetString(await hub.DownloadTaskOutputAsync(TaskId, "compose-status.json", offset: 2, size: 6)));
        Assert.Equal("pending\"}", Encoding.UTF8.GetString(await hub.DownloadTaskOutputAsync(TaskId, "compose-status.json", offset: -9)));
    }

    [Fact]
    public async Task DownloadTaskOutput_OfAMissingFile_IsTheHubsGenericError()
    {
        using var hub = new KojiHubConnection(_hub.ClientOptions());

        var fault = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => hub.DownloadTaskOutputAsync(TaskId, "nope.json"));

        Assert.Equal($"no file \"nope.json\" output by task {TaskId}", fault.FaultString);
    }
}
