using KojiComposer.Builder.Targets;
using KojiComposer.Contracts.Errors;
using KojiComposer.Testing;

namespace KojiComposer.Builder.Tests.Targets.Container;

/// <summary>
/// <c>username</c> + <c>password_file</c> and <c>auth_file_path</c>, against the real registry behind a proxy that
/// demands Basic credentials (<see cref="RegistryProxy"/>), with the real skopeo.
/// </summary>
[Collection(ContainerCollection.Name)]
public sealed class ContainerTargetCredentialTests(OciTestImage image) : IDisposable
{
    private const string User = "koji-pusher";
    private const string Password = "s3cret-Passw0rd:with:colons";
    private readonly string _secrets = Directory.CreateTempSubdirectory("kc-container-secrets-").FullName;

    [Fact]
    public async Task UploadAsync_PushesWithThePasswordInAPrivateAuthFile_AndRemovesIt()
    {
        var passwordFile = Path.Combine(_secrets, "password");
        await File.WriteAllTextAsync(passwordFile, Password + "\n");
        var seen = new List<(string Path, UnixFileMode Mode)>();
        string? work = null;
        await using var proxy = await RegistryProxy.StartAsync(TestStack.Registry, User, Password, onRequest: _ =>
        {
            lock (seen)
            {
                seen.AddRange(Directory.EnumerateFiles(work!, "auth.json", SearchOption.AllDirectories).Select(f => (f, File.GetUnixFileMode(f))));
            }
        });
        using var rig = new ContainerTargetRig(ContainerTargetRig.Plain() with { Username = User, PasswordFile = passwordFile });
        work = rig.WorkDirectory;
        var repository = ContainerTargetRig.UniqueRepository("private");

        var result = await rig.Target.UploadAsync(rig.Upload(image.Archive, $"{proxy.Address}/{repository}", "1"), CancellationToken.None);

        Assert.Equal($"{proxy.Address}/{repository}:1", result["url"]!.GetValue<string>());
        Assert.Equal(result["digest"]!.GetValue<string>(), await ContainerTargetRig.ServedDigestAsync(TestStack.Registry, repository, "1"));
        Assert.Contains(proxy.Authorizations, a => a == "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{User}:{Password}")));
        Assert.NotEmpty(seen);
        Assert.All(seen, s => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, s.Mode));
        Assert.Empty(Directory.EnumerateFileSystemEntries(rig.WorkDirectory));
        Assert.Contains(rig.Logs.Lines, l => l.Contains(" --dest-authfile ", StringComparison.Ordinal));
        AssertNoSecret(rig.Logs.Lines);
    }

    [Fact]
    public async Task UploadAsync_FailsWithConfig_AndNeverShowsThePassword_WhenTheRegistryRefusesIt()
    {
        var passwordFile = Path.Combine(_secrets, "wrong");
        await File.WriteAllTextAsync(passwordFile, Password + "-but-wrong");
        await using var proxy = await RegistryProxy.StartAsync(TestStack.Registry, User, Password);
        using var rig = new ContainerTargetRig(ContainerTargetRig.Plain() with { Username = User, PasswordFile = passwordFile });

        var e = await Assert.ThrowsAsync<TargetFailedException>(() =>
            rig.Target.UploadAsync(rig.Upload(image.Archive, $"{proxy.Address}/kc/private", "1"), CancellationToken.None));

        Assert.Equal(JobErrorCodes.InvalidTargetConfig, e.Code);
        Assert.False(e.IsTransient);
        Assert.EndsWith($"(the registry {proxy.Address} refused the credentials: check auth_file_path, or username and password_file, in [builder.targets.container])", e.Message, StringComparison.Ordinal);
        AssertNoSecret([e.Message, .. rig.Logs.Lines]);
        Assert.Empty(Directory.EnumerateFileSystemEntries(rig.WorkDirectory));
    }

    [Fact]
    public async Task UploadAsync_FailsWithConfig_WhenNoCredentialsAreConfigured_AndTheRegistryWantsSome()
    {
        await using var proxy = await RegistryProxy.StartAsync(TestStack.Registry, User, Password);
        using var rig = new ContainerTargetRig(ContainerTargetRig.Plain() with { AuthFile = Path.Combine(_secrets, "none.json") });
        await File.WriteAllTextAsync(Path.Combine(_secrets, "none.json"), "{\"auths\":{}}");

        var e = await Assert.ThrowsAsync<TargetFailedException>(() =>
            rig.Target.UploadAsync(rig.Upload(image.Archive, $"{proxy.Address}/kc/private", "1"), CancellationToken.None));

        Assert.Equal(JobErrorCodes.InvalidTargetConfig, e.Code);
        Assert.Contains("refused the credentials", e.Message, StringComparison.Ordinal);
        // skopeo tries anonymously (no header, or Basic with an empty user and password) and gives up.
        Assert.All(proxy.Authorizations, a => Assert.True(a is "" or "Basic Og==", a));
    }

    [Fact]
    public async Task UploadAsync_UsesTheConfiguredAuthFile()
    {
        var authFile = Path.Combine(_secrets, "auth.json");
        await using var proxy = await RegistryProxy.StartAsync(TestStack.Registry, User, Password);
        var auths = new System.Text.Json.Nodes.JsonObject
        {
            [proxy.Address] = new System.Text.Json.Nodes.JsonObject { ["auth"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{User}:{Password}")) },
        };
        await File.WriteAllTextAsync(authFile, new System.Text.Json.Nodes.JsonObject { ["auths"] = auths }.ToJsonString());
        using var rig = new ContainerTargetRig(ContainerTargetRig.Plain() with { AuthFile = authFile });
        var repository = ContainerTargetRig.UniqueRepository("authfile");

        var result = await rig.Target.UploadAsync(rig.Upload(image.Archive, $"{proxy.Address}/{repository}", "1"), CancellationToken.None);

        Assert.Equal(result["digest"]!.GetValue<string>(), await ContainerTargetRig.ServedDigestAsync(TestStack.Registry, repository, "1"));
        Assert.Contains(rig.Logs.Lines, l => l.Contains($" --dest-authfile {authFile} ", StringComparison.Ordinal));
        Assert.True(File.Exists(authFile));
    }

    [Fact]
    public async Task UploadAsync_MasksThePassword_WhenSkopeoPrintsIt()
    {
        var passwordFile = Path.Combine(_secrets, "password");
        await File.WriteAllTextAsync(passwordFile, Password);
        var token = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{User}:{Password}"));
        var skopeo = new EchoingSkopeo($"time=\"x\" level=fatal msg=\"bad request with {Password} and Basic {token}\"\n");
        using var rig = new ContainerTargetRig(ContainerTargetRig.Plain() with { Username = User, PasswordFile = passwordFile }, skopeo);

        var e = await Assert.ThrowsAsync<TargetFailedException>(() =>
            rig.Target.UploadAsync(rig.Upload(image.Archive, "registry.example.com/edge/os", "1"), CancellationToken.None));

        Assert.Equal("skopeo copy registry.example.com/edge/os:1 failed (exit code 1): bad request with *** and Basic ***", e.Message);
        AssertNoSecret([e.Message, .. rig.Logs.Lines]);
        Assert.Empty(Directory.EnumerateFileSystemEntries(rig.WorkDirectory));
    }

    [Fact]
    public async Task UploadAsync_FailsWithConfig_WhenThePasswordFileIsGone()
    {
        using var rig = new ContainerTargetRig(ContainerTargetRig.Plain() with { Username = User, PasswordFile = Path.Combine(_secrets, "gone") });

        var e = await Assert.ThrowsAsync<TargetFailedException>(() =>
            rig.Target.UploadAsync(rig.Upload(image.Archive, "registry.example.com/edge/os", "1"), CancellationToken.None));

        Assert.Equal(JobErrorCodes.InvalidTargetConfig, e.Code);
        Assert.StartsWith($"[builder.targets.container] password_file: cannot read \"{Path.Combine(_secrets, "gone")}\": ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckConfiguration_NamesEveryUnusableFile()
    {
        var empty = Path.Combine(_secrets, "empty");
        File.WriteAllText(empty, "\n");
        using var rig = new ContainerTargetRig(ContainerTargetRig.Plain() with
        {
            Skopeo = "no-such-skopeo-here",
            AuthFile = Path.Combine(_secrets, "missing.json"),
            Username = User,
            PasswordFile = empty,
            CertDirectory = Path.Combine(_secrets, "no-certs"),
        });

        var problems = rig.Target.CheckConfiguration();

        Assert.Equal(4, problems.Count);
        Assert.StartsWith("[builder.targets.container] skopeo: skopeo executable \"no-such-skopeo-here\" was not found on PATH", problems[0], StringComparison.Ordinal);
        Assert.StartsWith($"[builder.targets.container] auth_file_path: cannot read \"{Path.Combine(_secrets, "missing.json")}\": ", problems[1], StringComparison.Ordinal);
        Assert.Equal($"[builder.targets.container] password_file: \"{empty}\" is empty", problems[2]);
        Assert.Equal($"[builder.targets.container] cert_path: \"{Path.Combine(_secrets, "no-certs")}\" is not a directory", problems[3]);
    }

    [Fact]
    public void CheckConfiguration_FindsNothing_WhenSkopeoIsOnPath()
    {
        using var rig = new ContainerTargetRig(ContainerTargetRig.Plain());

        Assert.Empty(rig.Target.CheckConfiguration());
    }

    public void Dispose() => Directory.Delete(_secrets, recursive: true);

    private sealed class EchoingSkopeo(string stderr) : Builder.Targets.Container.ISkopeo
    {
        public Task<Builder.Targets.Container.SkopeoRun> RunAsync(
            IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken) =>
            Task.FromResult(new Builder.Targets.Container.SkopeoRun(1, [], stderr));
    }

    private static void AssertNoSecret(IEnumerable<string> texts)
    {
        var token = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{User}:{Password}"));
        Assert.All(texts, t =>
        {
            Assert.DoesNotContain("s3cret", t, StringComparison.Ordinal);
            Assert.DoesNotContain(token, t, StringComparison.Ordinal);
        });
    }
}
