using System.Text.Json.Nodes;
using KojiComposer.Builder.Manifests;
using KojiComposer.Contracts.Errors;
using Microsoft.Extensions.Logging.Abstractions;

namespace KojiComposer.Builder.Tests.Manifests;

/// <summary>What a release engineer hits at the edges: credentials in repository URLs, site secrets, SBOM-less
/// depsolvers, generators that leave a child behind.</summary>
public sealed class GeneratorEdgeTests : IDisposable
{
    // Unescaped, as a user reads the error (the default escapes <, > and quotes).
    private static readonly System.Text.Json.JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly GeneratorKit _kit = new();

    [Fact]
    public async Task Generate_MasksTheRepositoryCredentials_WhenTheRepositoryFails()
    {
        using var kit = new GeneratorKit("repo-error");
        var repositories = new JsonArray(new JsonObject { ["baseurl"] = "https://koji:Rep0-Pass@cdn.example.com/rhel-9/os" });

        var error = await Assert.ThrowsAsync<ComposeStepException>(() =>
            kit.ImageBuilder().GenerateAsync(kit.Request(repositories: repositories), CancellationToken.None));

        Assert.Equal(25, error.Error.Id);
        var shown = error.Error.ToJson().ToJsonString(Readable) + error.Message;
        Assert.DoesNotContain("Rep0-Pass", shown, StringComparison.Ordinal);
        Assert.Contains("https://<redacted>@cdn.example.com/rhel-9/os/repodata/repomd.xml", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_LeavesOutTheSbomFlags_WhenSbomsAreTurnedOff()
    {
        var result = await _kit.ImageBuilder(withSbom: false).GenerateAsync(_kit.Request(), CancellationToken.None);

        var argv = _kit.Argv();
        Assert.DoesNotContain("--with-sbom", argv);
        Assert.DoesNotContain("--output-dir", argv);
        Assert.Empty(result.Sboms);
        Assert.Equal("2", JsonNode.Parse(result.Manifest)!["version"]!.GetValue<string>());
    }

    [Fact]
    public async Task Generate_HandsAnIgnitionOfAnotherShapeToImageBuilder_InsteadOfCrashing()
    {
        await _kit.ImageBuilder().GenerateAsync(_kit.Request(new JsonObject { ["ignition"] = "embedded" }), CancellationToken.None);

        Assert.Equal("embedded", _kit.Record()["blueprint"]!["customizations"]!["ignition"]!.GetValue<string>());
    }

    [Fact]
    public async Task Generate_MasksTheActivationKey_WhenTheExternalGeneratorEchoesIt()
    {
        var generator = External("""
            import json, sys
            request = json.load(sys.stdin)
            sys.stderr.write("cannot register with key %s\n" % request["customizations"]["subscription"]["activation_key"])
            sys.exit(4)
            """);
        var customizations = JsonNode.Parse("""{"subscription": {"organization": "4242", "activation_key": "ak-VerySecret-1", "server_url": "s", "base_url": "b"}}""")!.AsObject();

        var error = await Assert.ThrowsAsync<ComposeStepException>(() => generator.GenerateAsync(_kit.Request(customizations), CancellationToken.None));

        Assert.Equal(8, error.Error.Id);
        Assert.Equal("cannot register with key <redacted>", error.Error.Details!["stderr"]!.GetValue<string>());
    }

    [Fact]
    public async Task Generate_ReturnsTheManifest_WhenTheGeneratorLeavesAChildHoldingItsOutputOpen()
    {
        var pidFile = Path.Combine(_kit.Root, "lingering.pid");
        var generator = External($$"""
            import json, subprocess, sys
            request = json.load(sys.stdin)
            child = subprocess.Popen(["sleep", "600"])
            open("{{pidFile}}", "w").write(str(child.pid))
            print(json.dumps({"version": "2", "pipelines": [{"name": "build"}, {"name": request["export"]}]}))
            """);

        try
        {
            // Not a timing assertion: without the bound the call never returns, and this fails instead of hanging.
            var result = await generator.GenerateAsync(_kit.Request(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal("qcow2", JsonNode.Parse(result.Manifest)!["pipelines"]![1]!["name"]!.GetValue<string>());
        }
        finally
        {
            if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile), out var pid))
            {
                try
                {
                    System.Diagnostics.Process.GetProcessById(pid).Kill();
                }
                catch (ArgumentException)
                {
                    // Already gone.
                }
            }
        }
    }

    public void Dispose() => _kit.Dispose();

    private ExternalManifestGenerator External(string body)
    {
        var script = Path.Combine(_kit.Root, "site.py");
        File.WriteAllText(script, "#!/usr/bin/env python3\n" + body.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new ExternalManifestGenerator(new ManifestGeneratorSettings { Kind = ManifestGeneratorKind.External, Command = script },
            NullLogger<ExternalManifestGenerator>.Instance);
    }
}
