using System.Security.Cryptography;
using KojiComposer.HubBridge.Uploads;
using KojiComposer.Testing.Hub;

namespace KojiComposer.HubBridge.Tests.Uploads;

public sealed class UploadTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("kc-upload-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string WriteFile(string name, byte[] content)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    [Fact]
    public async Task Upload_SendsVerifiedChunks_AndReportsWholeFileDigests()
    {
        await using var hub = await SimulatedHub.StartAsync();
        var options = hub.ClientOptions() with { UploadChunkBytes = 64 * 1024 };
        await using var session = await hub.LoginAsync(SimulatedHub.ContentGeneratorIdentity, options: options);
        var content = RandomNumberGenerator.GetBytes((200 * 1024) + 17);
        var path = WriteFile("Fedora-Cloud-42-1.x86_64.qcow2", content);

        var result = await session.UploadFileAsync(path, "osbuild-cg/osbuild-composer-koji-1");

        Assert.Equal(content.Length, result.Size);
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(content)), result.Md5);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), result.Sha256);
        Assert.Equal(4, result.Chunks);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(hub.Hub.WorkDir, "osbuild-cg/osbuild-composer-koji-1/Fedora-Cloud-42-1.x86_64.qcow2")));
        var uploads = hub.Hub.CallsTo("rawUpload");
        Assert.Equal(["0", "65536", "131072", "196608"], uploads.Select(u => QueryValue(u.Query, "offset")));
        Assert.All(uploads, u =>
        {
            Assert.Equal("Fedora-Cloud-42-1.x86_64.qcow2", QueryValue(u.Query, "filename"));
            Assert.Equal("osbuild-cg/osbuild-composer-koji-1", QueryValue(u.Query, "filepath"));
            Assert.Equal("adler32", QueryValue(u.Query, "fileverify"));
            Assert.Equal("1", QueryValue(u.Query, "overwrite"));
            Assert.Equal("header", u.SessionVia);
        });
        Assert.Equal(uploads.Select(u => u.CallNumber), uploads.Select(u => u.CallNumber).Order());
    }

    [Fact]
    public async Task Upload_OfAnEmptyFile_SendsOneEmptyChunk()
    {
        await using var hub = await SimulatedHub.StartAsync();
        await using var session = await hub.LoginAsync(SimulatedHub.ContentGeneratorIdentity);
        var path = WriteFile("empty.log", []);

        var result = await session.UploadFileAsync(path, "osbuild-cg/osbuild-composer-koji-2");

        Assert.Equal(0, result.Size);
        Assert.Equal("d41d8cd98f00b204e9800998ecf8427e", result.Md5);
        Assert.Single(hub.Hub.CallsTo("rawUpload"));
        Assert.True(File.Exists(Path.Combine(hub.Hub.WorkDir, "osbuild-cg/osbuild-composer-koji-2/empty.log")));
    }

    [Fact]
    public async Task Upload_OfA3GiBSparseFile_SurvivesTwoDroppedConnections_WithRightDigests()
    {
        await using var hub = await SimulatedHub.StartAsync();
        await using var session = await hub.LoginAsync(SimulatedHub.ContentGeneratorIdentity);
        var path = Path.Combine(_dir.FullName, "big.raw");
        const long Size = 3L * 1024 * 1024 * 1024;
        await using (var file = new FileStream(path, FileMode.CreateNew))
        {
            file.SetLength(Size);
            foreach (var at in new[] { 0L, 1L << 30, Size - 4096 })
            {
                file.Position = at;
                file.Write(RandomNumberGenerator.GetBytes(4096));
            }
        }

        var chunk = hub.ClientOptions().UploadChunkBytes;
        var drops = new HashSet<long> { 100L * chunk, 250L * chunk };
        hub.Hub.BreakUpload = request => drops.Remove(request.Offset) ? chunk / 2 : null;

        var result = await session.UploadFileAsync(path, "osbuild-cg/osbuild-composer-koji-3");

        Assert.Empty(drops);
        // Each drop makes one resend; on a loaded machine a resend can also meet the hub still writing the cut-off
        // attempt (LockError) and go once more, so two is the least, not the exact count.
        Assert.InRange(result.ResentChunks, 2, 6);
        Assert.Equal(Size, result.Size);
        var (md5, sha256) = await DigestsAsync(path);
        Assert.Equal(md5, result.Md5);
        Assert.Equal(sha256, result.Sha256);
        var uploaded = await session.CheckUploadAsync("osbuild-cg/osbuild-composer-koji-3", "big.raw", "md5");
        Assert.Equal(Size, uploaded!.Size);
        Assert.Equal(result.Md5, uploaded.HexDigest);
    }

    [Fact]
    public async Task Upload_ResendsTheChunk_WhileItsCutOffAttemptStillHoldsTheFilesLock()
    {
        await using var hub = await SimulatedHub.StartAsync();
        await using var session = await hub.LoginAsync(SimulatedHub.ContentGeneratorIdentity);
        var chunk = hub.ClientOptions().UploadChunkBytes;
        var content = RandomNumberGenerator.GetBytes(3 * chunk);
        var path = Path.Combine(_dir.FullName, "locked.raw");
        await File.WriteAllBytesAsync(path, content);
        var dropped = false;
        hub.Hub.BreakUpload = request => request.Offset == chunk && !dropped && (dropped = true) ? chunk / 2 : null;
        // The hub's worker for the cut-off request keeps the file locked for a while (koji's non-blocking lock):
        // the first re-sends meet 1001 LockError and must be sent again, not end the upload.
        hub.Hub.LockHeldAfterBreak = TimeSpan.FromMilliseconds(60);

        var result = await session.UploadFileAsync(path, "osbuild-cg/osbuild-composer-koji-4");

        Assert.True(result.ResentChunks >= 2, $"{result.ResentChunks} re-sends: the lock was never met");
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(content)), result.Md5);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(hub.Hub.WorkDir, "osbuild-cg/osbuild-composer-koji-4/locked.raw")));
    }

    [Fact]
    public async Task Upload_ResumesAtTheVerifiedOffset_AfterAStoppedUpload()
    {
        await using var hub = await SimulatedHub.StartAsync();
        var options = hub.ClientOptions() with { UploadChunkBytes = 64 * 1024 };
        await using var session = await hub.LoginAsync(SimulatedHub.ContentGeneratorIdentity, options: options);
        var content = RandomNumberGenerator.GetBytes(5 * 64 * 1024);
        var path = WriteFile("image.vmdk", content);
        hub.Hub.BreakUpload = request => request.Offset == 3 * 64 * 1024 ? 10 : null;

        var stopped = await Assert.ThrowsAsync<KojiUploadException>(() => session.UploadFileAsync(path, "osbuild-cg/osbuild-composer-koji-4"));
        hub.Hub.BreakUpload = null;
        var result = await session.UploadFileAsync(path, "osbuild-cg/osbuild-composer-koji-4", resumeAt: stopped.VerifiedBytes);

        Assert.Equal(3 * 64 * 1024, stopped.VerifiedBytes);
        Assert.Contains("stopped at byte 196608 (196608 bytes verified on the hub)", stopped.Message, StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(content)), result.Md5);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(hub.Hub.WorkDir, "osbuild-cg/osbuild-composer-koji-4/image.vmdk")));
        Assert.Equal(2, result.Chunks);
    }

    [Fact]
    public async Task Upload_IntoAnotherUsersDirectory_IsRefusedWithTheHubsReason()
    {
        await using var hub = await SimulatedHub.StartAsync();
        await using var cg = await hub.LoginAsync(SimulatedHub.ContentGeneratorIdentity);
        await using var releng = await hub.LoginAsync(SimulatedHub.UserIdentity);
        var path = WriteFile("x.log", "log\n"u8.ToArray());
        await cg.UploadFileAsync(path, "osbuild-cg/osbuild-composer-koji-5");

        var error = await Assert.ThrowsAsync<KojiUploadException>(() => releng.UploadFileAsync(path, "osbuild-cg/osbuild-composer-koji-5", "y.log"));

        Assert.EndsWith("GenericError (fault 1000): Invalid upload directory, not owner: osbuild-cg/osbuild-composer-koji-5", error.Message);
        Assert.Equal(0, error.VerifiedBytes);
        Assert.False(File.Exists(Path.Combine(hub.Hub.WorkDir, "osbuild-cg/osbuild-composer-koji-5/y.log")));
    }

    [Theory]
    [InlineData("osbuild-cg/x", ".hidden", "upload file name '.hidden' must be a bare file name that does not start with '.'")]
    [InlineData("osbuild-cg/x", "a/b", "upload file name 'a/b' must be a bare file name that does not start with '.'")]
    [InlineData("../etc", "passwd", "upload directory '../etc' must be a relative path under the hub's work directory, without '..'")]
    [InlineData("/abs", "f", "upload directory '/abs' must be a relative path under the hub's work directory, without '..'")]
    public async Task Upload_RefusesDestinationsTheHubWouldRefuse_BeforeSendingAByte(string directory, string name, string message)
    {
        await using var hub = await SimulatedHub.StartAsync();
        await using var session = await hub.LoginAsync(SimulatedHub.ContentGeneratorIdentity);
        var path = WriteFile("f", [1, 2, 3]);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => session.UploadFileAsync(path, directory, name));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Empty(hub.Hub.CallsTo("rawUpload"));
    }

    [Fact]
    public void TaskOutputDirectory_FollowsTheHubsLayout()
    {
        Assert.Equal("tasks/1/1", KojiPaths.TaskOutputDirectory(1));
        Assert.Equal("tasks/2345/12345", KojiPaths.TaskOutputDirectory(12345));
        Assert.Equal("tasks/0/20000", KojiPaths.TaskOutputDirectory(20000));
    }

    [Theory]
    [InlineData("hello from a raw upload\n", "6dd80883")]
    [InlineData("{\"status\": \"building\", \"task\": 1}", "bdec0a9b")]
    [InlineData("", "00000001")]
    public void Adler32_MatchesTheHubsObservedDigests(string text, string hex)
    {
        Assert.Equal(hex, Adler32.ToHex(Adler32.Compute(System.Text.Encoding.UTF8.GetBytes(text))));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(5551)]
    [InlineData(5552)]
    [InlineData(5553)]
    [InlineData(1 << 20)]
    public void Adler32_MatchesTheRfc1950Definition_ForAnyLength(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        data.AsSpan(0, Math.Min(length, 6000)).Fill(0xff); // worst case for the sums
        uint a = 1, b = 0;
        foreach (var value in data)
        {
            a = (a + value) % 65521;
            b = (b + a) % 65521;
        }

        Assert.Equal((b << 16) | a, Adler32.Compute(data));
    }

    [Fact]
    public void Adler32_IsTheSameInPiecesAsInOneGo()
    {
        var data = RandomNumberGenerator.GetBytes(100_000);
        var pieces = Adler32.Update(Adler32.Update(Adler32.Compute(data.AsSpan(0, 7)), data.AsSpan(7, 60_000)), data.AsSpan(60_007));
        Assert.Equal(Adler32.Compute(data), pieces);
        Assert.Equal(0x00010001u, Adler32.Compute(new byte[] { 0 }));
    }

    private static async Task<(string Md5, string Sha256)> DigestsAsync(string path)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var file = File.OpenRead(path);
        var buffer = new byte[4 << 20];
        int read;
        while ((read = await file.ReadAsync(buffer)) > 0)
        {
            md5.AppendData(buffer, 0, read);
            sha256.AppendData(buffer, 0, read);
        }

        return (Convert.ToHexStringLower(md5.GetHashAndReset()), Convert.ToHexStringLower(sha256.GetHashAndReset()));
    }

    private static string QueryValue(string query, string name) =>
        Uri.UnescapeDataString(query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).First(p => p[0] == name)[1]);
}
