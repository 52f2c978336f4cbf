using System.Security.Cryptography;
using KojiComposer.Builder.Uploads;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.HubBridge.Transport;
using KojiComposer.Testing.Hub;
using Microsoft.Extensions.Logging.Abstractions;

namespace KojiComposer.Builder.Tests.Uploads;

public sealed class KojiArtifactUploaderTests : IDisposable
{
    private const string Directory = "osbuild-cg/osbuild-composer-koji-00000000-0000-0000-0000-000000000001";
    private readonly DirectoryInfo _dir = System.IO.Directory.CreateTempSubdirectory("kc-uploader-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task UploadAsync_UploadsEveryFileAsTheContentGeneratorUser_WithTheirDigests()
    {
        await using var hub = await SimulatedHub.StartAsync();
        var image = WriteFile("disk.qcow2", RandomNumberGenerator.GetBytes(300_000));
        var log = WriteFile("log.txt", "Pipeline: os\n"u8.ToArray());
        var sent = new List<long>();

        var files = await Uploader(hub).UploadAsync(hub.Url.AbsoluteUri, Directory,
            [new ArtifactFile(image, "Fedora-Cloud-42-1.x86_64.qcow2", "image", "x86_64"), new ArtifactFile(log, "Fedora-Cloud-42-1.x86_64.qcow2.osbuild.log", "log", "noarch")],
            new SyncProgress(sent.Add), CancellationToken.None);

        Assert.Equal(
            [new KojiOutputFile("image", "Fedora-Cloud-42-1.x86_64.qcow2", 300_000, Md5(image), Sha256(image), "x86_64"),
             new KojiOutputFile("log", "Fedora-Cloud-42-1.x86_64.qcow2.osbuild.log", 13, Md5(log), Sha256(log), "noarch")],
            files);
        var owner = await File.ReadAllTextAsync(Path.Combine(hub.Hub.WorkDir, Directory, ".user"));
        Assert.Equal(hub.ContentGenerator.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), owner.Trim());
        Assert.Equal(300_013, sent[^1]); // progress counts over all files
        Assert.Single(hub.Hub.CallsTo("logout"));
    }

    [Fact]
    public async Task UploadAsync_FailsWith2_WhenTheComposeNamesAnotherHub()
    {
        await using var hub = await SimulatedHub.StartAsync();
        var file = WriteFile("x.log", [1]);

        var error = await Assert.ThrowsAsync<ComposeStepException>(() => Uploader(hub).UploadAsync(
            "https://koji.example.com/kojihub", Directory, [new ArtifactFile(file, "x.log", "log", "noarch")], null, CancellationToken.None));

        Assert.Equal(JobErrorCodes.InvalidTargetConfig, error.Error.Id);
        Assert.Equal($"this worker uploads to {hub.Url.AbsoluteUri}, the compose's hub is https://koji.example.com/kojihub", error.Error.Reason);
        Assert.False(error.IsTransient);
        Assert.Empty(hub.Hub.Calls);
    }

    [Fact]
    public async Task UploadAsync_AcceptsTheConfiguredHub_WrittenWithOtherCaseAndATrailingSlash()
    {
        await using var hub = await SimulatedHub.StartAsync();
        var file = WriteFile("x.log", [1, 2]);
        var spelled = hub.Url.AbsoluteUri.Replace("localhost", "LocalHost", StringComparison.Ordinal) + "/";

        var files = await Uploader(hub).UploadAsync(spelled, Directory, [new ArtifactFile(file, "x.log", "log", "noarch")], null, CancellationToken.None);

        Assert.Equal(2, Assert.Single(files).Filesize);
    }

    [Fact]
    public async Task UploadAsync_FailsWith2SayingWhatToConfigure_WhenTheWorkerHasNoHub()
    {
        var uploader = new KojiArtifactUploader(null, null, NullLogger<KojiArtifactUploader>.Instance);

        var error = await Assert.ThrowsAsync<ComposeStepException>(() => uploader.UploadAsync(
            "https://koji.example.com/kojihub", Directory, [new ArtifactFile("/nonexistent", "x.log", "log", "noarch")], null, CancellationToken.None));

        Assert.Equal(JobErrorCodes.InvalidTargetConfig, error.Error.Id);
        Assert.Contains("[hub] section with [hub.content_generator]", error.Error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadAsync_FailsWith2_WhenTheHubRefusesTheLogin()
    {
        await using var hub = await SimulatedHub.StartAsync();
        var uploader = new KojiArtifactUploader(hub.ClientOptions(), SimulatedHub.StrangerIdentity, NullLogger<KojiArtifactUploader>.Instance);

        var error = await Assert.ThrowsAsync<ComposeStepException>(() => uploader.UploadAsync(
            hub.Url.AbsoluteUri, Directory, [new ArtifactFile(WriteFile("x.log", [1]), "x.log", "log", "noarch")], null, CancellationToken.None));

        Assert.Equal(JobErrorCodes.InvalidTargetConfig, error.Error.Id);
        Assert.StartsWith($"cannot log in to {hub.Url.AbsoluteUri} as {TestingStranger} for the Koji upload: ", error.Error.Reason, StringComparison.Ordinal);
        Assert.Empty(hub.Hub.CallsTo("rawUpload"));
    }

    [Fact]
    public async Task UploadAsync_ResumesAtTheVerifiedBytes_WhenTheSessionGivesUpOnAChunk()
    {
        await using var hub = await SimulatedHub.StartAsync();
        var options = hub.ClientOptions() with { UploadChunkBytes = 64 * 1024 };
        var content = RandomNumberGenerator.GetBytes(5 * 64 * 1024);
        var image = WriteFile("disk.raw", content);
        var drops = 0;
        // The session resends a dropped chunk itself (5 attempts); the 6th drop in a row makes it give up, and the
        // uploader resumes from what the hub verified.
        hub.Hub.BreakUpload = request => request.Offset == 2 * 64 * 1024 && drops++ < 6 ? 100 : null;

        var files = await new KojiArtifactUploader(options, SimulatedHub.ContentGeneratorIdentity, NullLogger<KojiArtifactUploader>.Instance)
            .UploadAsync(hub.Url.AbsoluteUri, Directory, [new ArtifactFile(image, "disk.raw", "image", "x86_64")], null, CancellationToken.None);

        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(content)), Assert.Single(files).Md5);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(hub.Hub.WorkDir, Directory, "disk.raw")));
        Assert.Equal(7, drops); // 6 drops, then the 7th send of that chunk went through
        // Completed chunks are recorded once each: the resume did not send the verified bytes again.
        Assert.Equal(["0", "65536", "131072", "196608", "262144"], hub.Hub.CallsTo("rawUpload").Select(c => QueryValue(c.Query, "offset")));
    }

    [Fact]
    public async Task UploadAsync_FailsWith11NamingTheFile_WhenEveryResumeIsDropped()
    {
        await using var hub = await SimulatedHub.StartAsync();
        var options = hub.ClientOptions() with { UploadChunkBytes = 64 * 1024 };
        var image = WriteFile("disk.raw", RandomNumberGenerator.GetBytes(3 * 64 * 1024));
        hub.Hub.BreakUpload = request => request.Offset == 64 * 1024 ? 100 : null;
        var uploader = new KojiArtifactUploader(options, SimulatedHub.ContentGeneratorIdentity, NullLogger<KojiArtifactUploader>.Instance) { Attempts = 3 };

        var error = await Assert.ThrowsAsync<ComposeStepException>(() => uploader.UploadAsync(
            hub.Url.AbsoluteUri, Directory, [new ArtifactFile(image, "Fedora-Cloud-42-1.x86_64.raw", "image", "x86_64")], null, CancellationToken.None));

        Assert.Equal(JobErrorCodes.UploadingImage, error.Error.Id);
        Assert.StartsWith($"uploading Fedora-Cloud-42-1.x86_64.raw into {Directory} failed after 3 attempts (65536 of 196608 bytes verified on the hub): ",
            error.Error.Reason, StringComparison.Ordinal);
        Assert.True(error.IsTransient); // a dropped connection may well work later
        Assert.Single(hub.Hub.CallsTo("logout"));
    }

    [Fact]
    public async Task UploadAsync_LogsOutTheSessionItLoggedInAgainWith_WhenTheUploadThenFails()
    {
        await using var hub = await SimulatedHub.StartAsync();
        var options = hub.ClientOptions() with { UploadChunkBytes = 64 * 1024 };
        var image = WriteFile("disk.raw", RandomNumberGenerator.GetBytes(3 * 64 * 1024));
        var forgotten = 0;
        // The hub forgets the session under the second chunk twice in a row (the session's own new login included),
        // so the uploader logs in again itself; then the connection drops on every send until the upload gives up.
        hub.Hub.BreakUpload = request =>
        {
            if (request.Offset != 64 * 1024)
            {
                return null;
            }

            if (forgotten++ < 2)
            {
                lock (hub.Hub.State.Sync)
                {
                    hub.Hub.State.Sessions[request.SessionId!.Value].Closed = true;
                }
            }

            return 100;
        };
        var uploader = new KojiArtifactUploader(options, SimulatedHub.ContentGeneratorIdentity, NullLogger<KojiArtifactUploader>.Instance) { Attempts = 2 };

        var error = await Assert.ThrowsAsync<ComposeStepException>(() => uploader.UploadAsync(
            hub.Url.AbsoluteUri, Directory, [new ArtifactFile(image, "disk.raw", "image", "x86_64")], null, CancellationToken.None));

        Assert.Equal(JobErrorCodes.UploadingImage, error.Error.Id);
        Assert.Equal(2, hub.Hub.CallsTo("logout").Count); // the forgotten session's and the uploader's new one
        // No session of the content-generator user is left open on the hub.
        lock (hub.Hub.State.Sync)
        {
            Assert.DoesNotContain(hub.Hub.State.Sessions.Values, s => s.UserId == hub.ContentGenerator.Id && !s.Closed);
        }
    }

    [Fact]
    public async Task UploadAsync_FailsWith11WithoutResuming_WhenTheDirectoryBelongsToAnotherUser()
    {
        await using var hub = await SimulatedHub.StartAsync();
        var file = WriteFile("x.log", [1]);
        await using (var releng = await hub.LoginAsync(SimulatedHub.UserIdentity))
        {
            await releng.UploadFileAsync(file, Directory, "first.log");
        }

        hub.Hub.ClearCalls();
        var error = await Assert.ThrowsAsync<ComposeStepException>(() => Uploader(hub).UploadAsync(
            hub.Url.AbsoluteUri, Directory, [new ArtifactFile(file, "x.log", "log", "noarch")], null, CancellationToken.None));

        Assert.Equal(JobErrorCodes.UploadingImage, error.Error.Id);
        Assert.EndsWith($"Invalid upload directory, not owner: {Directory}", error.Error.Reason, StringComparison.Ordinal);
        Assert.Contains("failed after 1 attempt (", error.Error.Reason, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
        Assert.Single(hub.Hub.CallsTo("rawUpload"));
    }

    [Theory]
    [InlineData("https://Koji.Example.com:443/kojihub/", "https://koji.example.com/kojihub")]
    [InlineData("http://koji.example.com:80/kojihub", "http://koji.example.com/kojihub")]
    [InlineData(" https://koji.example.com/kojihub ", "https://koji.example.com/kojihub")]
    public void HubUrls_AreTheSame_WhenTheyNameTheSameEndpoint(string a, string b)
    {
        Assert.True(HubUrls.Same(a, b));
    }

    [Theory]
    [InlineData("https://koji.example.com/kojihub", "http://koji.example.com/kojihub")]
    [InlineData("https://koji.example.com/kojihub", "https://koji.example.com:8443/kojihub")]
    [InlineData("https://koji.example.com/kojihub", "https://brew.example.com/kojihub")]
    [InlineData("https://koji.example.com/kojihub", "https://koji.example.com/brewhub")]
    public void HubUrls_Differ_WhenTheyNameAnotherEndpoint(string a, string b)
    {
        Assert.False(HubUrls.Same(a, b));
    }

    private static string TestingStranger => SimulatedHub.StrangerIdentity.ToString();

    private static KojiArtifactUploader Uploader(SimulatedHub hub) =>
        new(hub.ClientOptions(), SimulatedHub.ContentGeneratorIdentity, NullLogger<KojiArtifactUploader>.Instance);

    private string WriteFile(string name, byte[] content)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static string QueryValue(string query, string name) =>
        Uri.UnescapeDataString(query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).First(p => p[0] == name)[1]);

    private static string Md5(string path) => Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(path)));

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
