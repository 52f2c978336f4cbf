using KojiComposer.Builder.Manifests;
using System.Diagnostics;
using System.Text.Json.Nodes;
using KojiComposer.Contracts.Errors;

namespace KojiComposer.Builder.Tests.Manifests;

public sealed class ImageBuilderFailureTests
{
    private static readonly JsonObject UserWithSecrets = new()
    {
        ["users"] = new JsonArray(new JsonObject { ["name"] = "admin", ["password"] = "s3cr3t-Passw0rd", ["key"] = "ssh-ed25519 AAAAC3Nza secret@key" }),
    };

    [Theory]
    [InlineData("depsolve-error", 20, "DNF error occurred: DepsolveError", "nothing provides nosuchlib")]
    [InlineData("marking-error", 21, "DNF error occurred: MarkingErrors", "missing packages: nosuchpackage")]
    [InlineData("repo-error", 25, "DNF error occurred: RepoError", "Failed to download metadata")]
    public async Task Generate_MapsDnfErrors_LikeComposersWorker(string scenario, int id, string reason, string detail)
    {
        using var kit = new GeneratorKit(scenario);

        var error = await Assert.ThrowsAsync<ComposeStepException>(() => kit.ImageBuilder().GenerateAsync(kit.Request(), CancellationToken.None));

        Assert.Equal((id, reason), (error.Error.Id, error.Error.Reason));
        Assert.Contains(detail, error.Error.Details!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_FailsWithError8AndAnExcerpt_WhenTheOutputIsNotAManifest()
    {
        using var kit = new GeneratorKit("garbage");

        var error = await Assert.ThrowsAsync<ComposeStepException>(() => kit.ImageBuilder().GenerateAsync(kit.Request(), CancellationToken.None));

        Assert.Equal(8, error.Error.Id);
        Assert.Equal("image-builder did not print a manifest v2 (JSON with \"version\": \"2\")", error.Error.Reason);
        Assert.Equal("this is not a manifest", error.Error.Details!["stdout"]!.GetValue<string>());
    }

    [Fact]
    public async Task Generate_FailsWithError8AndTheStderrTail_WhenImageBuilderCrashes_WithoutSecrets()
    {
        using var kit = new GeneratorKit("crash");

        var error = await Assert.ThrowsAsync<ComposeStepException>(() =>
            kit.ImageBuilder().GenerateAsync(kit.Request(customizations: UserWithSecrets), CancellationToken.None));

        Assert.Equal((8, "image-builder manifest failed (exit code 2)"), (error.Error.Id, error.Error.Reason));
        var stderr = error.Error.Details!["stderr"]!.GetValue<string>();
        Assert.Contains("panic: runtime error", stderr, StringComparison.Ordinal);
        Assert.Contains("\"admin\"", stderr, StringComparison.Ordinal);
        var everything = error.Error.ToJson().ToJsonString() + error.Message;
        Assert.DoesNotContain("s3cr3t-Passw0rd", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("AAAAC3Nza", everything, StringComparison.Ordinal);
        // The blueprint itself carries them (that is where image-builder reads them), readable by its owner only.
        var blueprint = Path.Combine(kit.WorkDirectory, "blueprint.json");
        Assert.Contains("s3cr3t-Passw0rd", File.ReadAllText(blueprint), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(blueprint));
    }

    [Fact]
    public async Task Generate_FailsWithError8AndImageBuildersMessage_WhenTheDistroIsUnknown()
    {
        using var kit = new GeneratorKit();

        var error = await Assert.ThrowsAsync<ComposeStepException>(() =>
            kit.ImageBuilder().GenerateAsync(kit.Request(distribution: "debian-12"), CancellationToken.None));

        Assert.Equal(8, error.Error.Id);
        Assert.Equal("cannot find image for: distro:\"debian-12\" type:\"qcow2\" arch:\"x86_64\"", error.Error.Reason);
    }

    [Fact]
    public async Task Generate_KillsImageBuilder_WhenCancelled()
    {
        using var kit = new GeneratorKit("slow");
        using var cancel = new CancellationTokenSource();
        var generation = kit.ImageBuilder().GenerateAsync(kit.Request(), cancel.Token);
        var pid = await WaitForStandinAsync(kit);

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generation);
        // Generous bound (the "within 5 s"): the kill is immediate, the rest is process teardown on a busy CI host.
        Assert.True(await ExitedAsync(pid, TimeSpan.FromSeconds(5)), $"stand-in {pid} still runs");
    }

    [Fact]
    public async Task Generate_KillsImageBuilderAndFailsWithError40_WhenItOutlivesTheTimeout()
    {
        using var kit = new GeneratorKit("slow");

        var error = await Assert.ThrowsAsync<ComposeStepException>(() =>
            kit.ImageBuilder(timeout: TimeSpan.FromSeconds(1)).GenerateAsync(kit.Request(), CancellationToken.None));

        Assert.Equal(40, error.Error.Id);
        Assert.Equal("image-builder manifest did not finish within 1 s (depsolve timeout)", error.Error.Reason);
    }

    [Fact]
    public async Task Generate_FailsWithError17_WhenImageBuilderIsMissing()
    {
        using var kit = new GeneratorKit();
        var generator = new ImageBuilderManifestGenerator(new ManifestGeneratorSettings { Command = "/nonexistent/image-builder" },
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ImageBuilderManifestGenerator>.Instance);

        var error = await Assert.ThrowsAsync<ComposeStepException>(() => generator.GenerateAsync(kit.Request(), CancellationToken.None));

        Assert.Equal(17, error.Error.Id);
        Assert.Contains("/nonexistent/image-builder", error.Error.Reason, StringComparison.Ordinal);
    }

    /// <summary>The stand-in's pid, once it recorded its arguments (it then sleeps).</summary>
    internal static async Task<int> WaitForStandinAsync(GeneratorKit kit)
    {
        for (var i = 0; i < 600 && !File.Exists(kit.RecordFile); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(File.Exists(kit.RecordFile), "the stand-in never started");
        var standin = Process.GetProcesses().FirstOrDefault(p => Cmdline(p.Id).Contains(kit.WorkDirectory, StringComparison.Ordinal));
        Assert.NotNull(standin);
        return standin.Id;
    }

    internal static async Task<bool> ExitedAsync(int pid, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (!Directory.Exists($"/proc/{pid}") || File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] == "Z")
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    private static string Cmdline(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
