using System.Net;
using System.Net.Sockets;
using KojiComposer.Builder.Osbuild;
using KojiComposer.Builder.Targets;
using KojiComposer.Builder.Targets.Container;
using KojiComposer.Contracts.Errors;
using KojiComposer.Testing;

namespace KojiComposer.Builder.Tests.Targets.Container;

/// <summary>How pushes fail, with the real skopeo: the error class, skopeo's reason, transient or not, and that
/// nothing is left behind.</summary>
[Collection(ContainerCollection.Name)]
public sealed class ContainerTargetFailureTests(OciTestImage image)
{
    [Fact]
    public async Task UploadAsync_FailsTransiently_WithSkopeosReason_WhenTheRegistryIsDown()
    {
        var port = UnusedPort();
        using var rig = new ContainerTargetRig(ContainerTargetRig.Plain());

        var e = await Assert.ThrowsAsync<TargetFailedException>(() =>
            rig.Target.UploadAsync(rig.Upload(image.Archive, $"127.0.0.1:{port}/kc/down", "1"), CancellationToken.None));

        Assert.Equal(JobErrorCodes.UploadingImage, e.Code);
        Assert.True(e.IsTransient);
        Assert.StartsWith($"skopeo copy 127.0.0.1:{port}/kc/down:1 failed (exit code 1): ", e.Message, StringComparison.Ordinal);
        Assert.Contains("connection refused", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("level=fatal", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(rig.WorkDirectory));
    }

    [Fact]
    public async Task UploadAsync_FailsTransiently_WhenTheRegistryDropsTheConnection()
    {
        using var registry = new SilentRegistry(drop: true);
        using var rig = new ContainerTargetRig(ContainerTargetRig.Plain());

        var e = await Assert.ThrowsAsync<TargetFailedException>(() =>
            rig.Target.UploadAsync(rig.Upload(image.Archive, $"{registry.Address}/kc/drops", "1"), CancellationToken.None));

        Assert.Equal(JobErrorCodes.UploadingImage, e.Code);
        Assert.True(e.IsTransient);
        Assert.EndsWith($"Get \"http://{registry.Address}/v2/\": EOF", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadAsync_FailsTransiently_WhenTheRegistryAnswers503()
    {
        await using var proxy = await RegistryProxy.StartAsync(TestStack.Registry, unavailable: true);
        using var rig = new ContainerTargetRig(ContainerTargetRig.Plain());

        var e = await Assert.ThrowsAsync<TargetFailedException>(() =>
            rig.Target.UploadAsync(rig.Upload(image.Archive, $"{proxy.Address}/kc/maintenance", "1"), CancellationToken.None));

        Assert.Equal(JobErrorCodes.UploadingImage, e.Code);
        Assert.True(e.IsTransient);
        Assert.Contains("503", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadAsync_FailsForGood_WhenTheArchiveIsCorrupt()
    {
        var corrupt = Path.Combine(image.Directory, $"corrupt-{Guid.NewGuid():N}.tar");
        await File.WriteAllBytesAsync(corrupt, (await File.ReadAllBytesAsync(image.Archive))[..3000]);
        using var rig = new ContainerTargetRig(ContainerTargetRig.Plain());
        var repository = ContainerTargetRig.UniqueRepository("corrupt");

        var e = await Assert.ThrowsAsync<TargetFailedException>(() =>
            rig.Target.UploadAsync(rig.Upload(corrupt, $"{TestStack.Registry}/{repository}", "1"), CancellationToken.None));

        Assert.Equal(JobErrorCodes.UploadingImage, e.Code);
        Assert.False(e.IsTransient);
        Assert.Contains($"oci-archive:{corrupt}", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(rig.WorkDirectory));
        using var client = new HttpClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"http://{TestStack.Registry}/v2/{repository}/manifests/1")).StatusCode);
    }

    [Fact]
    public async Task UploadAsync_AsksForTlsVerifyFalse_WhenTheRegistrySpeaksPlainHttp()
    {
        using var rig = new ContainerTargetRig(ContainerTargetRig.Plain() with { TlsVerify = true });

        var e = await Assert.ThrowsAsync<TargetFailedException>(() =>
            rig.Target.UploadAsync(rig.Upload(image.Archive, $"{TestStack.Registry}/kc/https", "1"), CancellationToken.None));

        Assert.Equal(JobErrorCodes.InvalidTargetConfig, e.Code);
        Assert.EndsWith("set tls_verify = false in [builder.targets.container] if that is meant)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadAsync_KillsSkopeo_AndRemovesItsFiles_WhenCancelled()
    {
        using var registry = new SilentRegistry();
        using var rig = new ContainerTargetRig(ContainerTargetRig.Plain());
        using var cancel = new CancellationTokenSource();

        var upload = rig.Target.UploadAsync(rig.Upload(image.Archive, $"{registry.Address}/kc/hangs", "1"), cancel.Token);
        await registry.Connected.WaitAsync(TimeSpan.FromSeconds(30));
        var pid = rig.SkopeoPid("copy");
        Assert.True(IsRunning(pid));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upload);
        Assert.False(IsRunning(pid));
        Assert.Contains($"skopeo {pid} was cancelled: killing its process tree", rig.Logs.Lines);
        Assert.Empty(Directory.EnumerateFileSystemEntries(rig.WorkDirectory));
    }

    [Fact]
    public async Task UploadAsync_FailsTransiently_AndKillsSkopeo_WhenThePushTakesLongerThanTheTimeout()
    {
        using var registry = new SilentRegistry();
        using var rig = new ContainerTargetRig(ContainerTargetRig.Plain() with { Timeout = TimeSpan.FromSeconds(1) });

        var e = await Assert.ThrowsAsync<TargetFailedException>(() =>
            rig.Target.UploadAsync(rig.Upload(image.Archive, $"{registry.Address}/kc/slow", "1"), CancellationToken.None));

        Assert.Equal(JobErrorCodes.UploadingImage, e.Code);
        Assert.True(e.IsTransient);
        Assert.Equal($"pushing {registry.Address}/kc/slow:1 did not finish within 1 s ([builder.targets.container] timeout_seconds); skopeo was killed", e.Message);
        Assert.False(IsRunning(rig.SkopeoPid("copy")));
    }

    [Fact]
    public async Task UploadAsync_FailsWithConfig_WhenTheNameHasNoRegistryAndNoDomainIsSet()
    {
        using var rig = new ContainerTargetRig(ContainerTargetRig.Plain(), new NoSkopeo());

        var e = await Assert.ThrowsAsync<TargetFailedException>(() => rig.Target.UploadAsync(rig.Upload(image.Archive, name: null), CancellationToken.None));

        Assert.Equal(JobErrorCodes.InvalidTargetConfig, e.Code);
        Assert.StartsWith("the container name \"rhel-9.6\" names no registry and [builder.targets.container] has no domain: set domain", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:5000/Edge/OS", "1", "\"Edge/OS\" is not a repository name")]
    [InlineData("registry.example.com/edge//os", "1", "\"edge//os\" is not a repository name")]
    [InlineData("registry.example.com/edge/os", "bad tag", "\"bad tag\" is not a tag")]
    [InlineData("registry.example.com/edge/os", ".hidden", "\".hidden\" is not a tag")]
    [InlineData("registry.example.com/edge/os:latest", "1", "\"edge/os:latest\" is not a repository name")]
    [InlineData("registry_example.com:5000/edge", "1", "\"registry_example.com:5000\" is not a registry host")]
    public async Task UploadAsync_FailsWithInvalidTarget_WhenTheReferenceIsInvalid(string name, string tag, string problem)
    {
        using var rig = new ContainerTargetRig(ContainerTargetRig.Plain(), new NoSkopeo());

        var e = await Assert.ThrowsAsync<TargetFailedException>(() => rig.Target.UploadAsync(rig.Upload(image.Archive, name, tag), CancellationToken.None));

        Assert.Equal(TargetFailedException.InvalidTarget, e.Code);
        Assert.StartsWith($"invalid container reference: {problem}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadAsync_FailsForGood_WhenTheRegistryServesAnotherManifestThanWasPushed()
    {
        var skopeo = new ScriptedSkopeo(arguments =>
        {
            if (arguments.Contains("copy"))
            {
                File.WriteAllText(arguments[arguments.IndexOf("--digestfile") + 1], "sha256:" + new string('a', 64));
                return new SkopeoRun(0, [], "");
            }

            return new SkopeoRun(0, "{\"schemaVersion\":2}"u8.ToArray(), "");
        });
        using var rig = new ContainerTargetRig(ContainerTargetRig.Plain(), skopeo);

        var e = await Assert.ThrowsAsync<TargetFailedException>(() =>
            rig.Target.UploadAsync(rig.Upload(image.Archive, "registry.example.com/edge/os", "1"), CancellationToken.None));

        Assert.Equal(JobErrorCodes.UploadingImage, e.Code);
        Assert.False(e.IsTransient);
        Assert.Equal($"the registry serves registry.example.com/edge/os:1 with manifest {ContainerTarget.DigestOf("{\"schemaVersion\":2}"u8.ToArray())}, "
            + $"not the pushed sha256:{new string('a', 64)} (was the tag pushed again meanwhile?)", e.Message);
    }

    [Fact]
    public async Task UploadAsync_FailsWithConfig_WhenSkopeoIsMissing()
    {
        using var rig = new ContainerTargetRig(ContainerTargetRig.Plain() with { Skopeo = "/nonexistent/skopeo" });

        var e = await Assert.ThrowsAsync<TargetFailedException>(() =>
            rig.Target.UploadAsync(rig.Upload(image.Archive, "registry.example.com/edge/os", "1"), CancellationToken.None));

        Assert.Equal(JobErrorCodes.InvalidTargetConfig, e.Code);
        Assert.Equal("[builder.targets.container] skopeo: skopeo executable /nonexistent/skopeo does not exist", e.Message);
        Assert.Equal([e.Message], rig.Target.CheckConfiguration());
    }

    // After UploadAsync returned, skopeo has been reaped: its pid is gone (a zombie would count as gone too).
    private static bool IsRunning(int pid) => ProcessTree.TryReadStat(pid, out var stat) && stat.State != 'Z';

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class NoSkopeo : ISkopeo
    {
        public Task<SkopeoRun> RunAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("skopeo must not run");
    }

    private sealed class ScriptedSkopeo(Func<List<string>, SkopeoRun> answer) : ISkopeo
    {
        public Task<SkopeoRun> RunAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken) =>
            Task.FromResult(answer([.. arguments]));
    }
}
