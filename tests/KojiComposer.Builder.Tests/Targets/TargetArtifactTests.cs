using System.Diagnostics;
using KojiComposer.Builder.Targets;
using KojiComposer.Contracts.Errors;

namespace KojiComposer.Builder.Tests.Targets;

/// <summary><see cref="TargetArtifact"/>: xz detection by content and on-the-fly decompression that never hands a
/// target a silently short disk.</summary>
public sealed class TargetArtifactTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("kc-artifact-test-");

    public void Dispose() => _work.Delete(recursive: true);

    private async Task<(string Xz, byte[] Raw)> XzAsync(int size, params string[] xzOptions)
    {
        var raw = new byte[size];
        new Random(3).NextBytes(raw);
        var path = Path.Combine(_work.FullName, "image.raw");
        await File.WriteAllBytesAsync(path, raw);
        using var xz = Process.Start(new ProcessStartInfo("xz", [.. (xzOptions.Length > 0 ? xzOptions : ["-T1"]), "-0", path]))!;
        await xz.WaitForExitAsync();
        Assert.Equal(0, xz.ExitCode);
        return (path + ".xz", raw);
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Theory]
    [InlineData]
    [InlineData("-T2", "--block-size=65536")]
    public async Task OpenRaw_ReturnsTheDecompressedBytes_WhenTheArtifactIsXz(params string[] xzOptions)
    {
        var (xz, raw) = await XzAsync(300_000, xzOptions);

        await using var stream = TargetArtifact.OpenRaw(xz);

        Assert.Equal(raw, await ReadAllAsync(stream));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(40)]
    [InlineData(5000)]
    public async Task OpenRaw_FailsToRead_WhenTheXzIsTruncated(int cut)
    {
        var (xz, _) = await XzAsync(300_000);
        var bytes = await File.ReadAllBytesAsync(xz);
        await File.WriteAllBytesAsync(xz, bytes[..^cut]);

        await using var stream = TargetArtifact.OpenRaw(xz);

        await Assert.ThrowsAnyAsync<Exception>(() => ReadAllAsync(stream));
    }

    [Fact]
    public async Task RawFileAsync_FailsWithUploadError_WhenTheXzIsTruncated()
    {
        var (xz, _) = await XzAsync(300_000);
        var bytes = await File.ReadAllBytesAsync(xz);
        await File.WriteAllBytesAsync(xz, bytes[..^40]);
        var into = Directory.CreateDirectory(Path.Combine(_work.FullName, "out")).FullName;

        var e = await Assert.ThrowsAsync<TargetFailedException>(() => TargetArtifact.RawFileAsync(xz, into, CancellationToken.None));

        Assert.Equal(JobErrorCodes.UploadingImage, e.Code);
        Assert.Empty(Directory.GetFiles(into));
    }

    [Fact]
    public async Task OpenRaw_ReturnsTheFileAsItIs_WhenItIsNamedXzButIsNot()
    {
        var path = Path.Combine(_work.FullName, "disk.raw.xz");
        var raw = new byte[70_000];
        new Random(5).NextBytes(raw);
        await File.WriteAllBytesAsync(path, raw);

        await using var stream = TargetArtifact.OpenRaw(path);

        Assert.False(TargetArtifact.IsXz(path));
        Assert.Equal(raw, await ReadAllAsync(stream));
        Assert.Equal(path, await TargetArtifact.RawFileAsync(path, _work.FullName, CancellationToken.None));
    }

    [Fact]
    public async Task OpenRaw_ReturnsEveryStream_WhenXzStreamsAreConcatenatedWithPadding()
    {
        var (first, a) = await XzAsync(100_000);
        var firstBytes = await File.ReadAllBytesAsync(first);
        File.Delete(first);
        var (second, b) = await XzAsync(50_000);
        var path = Path.Combine(_work.FullName, "joined.raw.xz");
        var secondBytes = await File.ReadAllBytesAsync(second);
        await File.WriteAllBytesAsync(path, firstBytes.Concat(new byte[8]).Concat(secondBytes).ToArray());

        await using var stream = TargetArtifact.OpenRaw(path);

        Assert.Equal(a.Concat(b).ToArray(), await ReadAllAsync(stream));
    }

    [Fact]
    public async Task OpenRaw_FailsToRead_WhenGarbageFollowsTheXzStream()
    {
        var (xz, _) = await XzAsync(100_000);
        var bytes = await File.ReadAllBytesAsync(xz);
        await File.WriteAllBytesAsync(xz, bytes.Concat("not xz data"u8.ToArray()).ToArray());

        await using var stream = TargetArtifact.OpenRaw(xz);

        await Assert.ThrowsAsync<InvalidDataException>(() => ReadAllAsync(stream));
    }
}
