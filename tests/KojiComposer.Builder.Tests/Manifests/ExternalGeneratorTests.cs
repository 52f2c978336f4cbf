using System.Text.Json.Nodes;
using KojiComposer.Builder.Manifests;
using KojiComposer.Contracts.Errors;
using Microsoft.Extensions.Logging.Abstractions;

namespace KojiComposer.Builder.Tests.Manifests;

/// <summary>The external generator contract (docs/manifest-generators.md) against a small Python site command.</summary>
public sealed class ExternalGeneratorTests : IDisposable
{
    // A site command: records its stdin, then answers as EXTERNAL_MODE says.
    private const string Script = """
        #!/usr/bin/env python3
        import json, os, sys
        if sys.argv[1:] == ["--site", "--version"]:
            print("site-generator 3.1\nbuilt by ops")
            sys.exit(0)
        request = json.load(sys.stdin)
        with open(os.environ["EXTERNAL_RECORD"], "w") as f:
            json.dump({"argv": sys.argv[1:], "request": request}, f)
        manifest = {"version": "2", "pipelines": [{"name": "root"}, {"name": "tree"}, {"name": request["export"]}], "sources": {}}
        mode = os.environ.get("EXTERNAL_MODE", "bare")
        if mode == "bare":
            print(json.dumps(manifest))
        elif mode == "wrapped":
            sbom = os.path.join(request["work_directory"], "tree.spdx.json")
            with open(sbom, "w") as f:
                f.write("{}")
            print(json.dumps({"manifest": manifest, "pipeline_names": {"build": ["root"], "payload": ["tree"]},
                              "sboms": [{"path": "tree.spdx.json", "suffix": "image-tree"}]}))
        elif mode == "fail":
            sys.stderr.write("site policy refused user admin with password %s\n" % request["customizations"]["users"][0]["password"])
            sys.exit(3)
        else:
            print(json.dumps({"version": "1"}))
        """;

    private readonly GeneratorKit _kit = new();

    [Fact]
    public async Task Generate_SendsTheDocumentedRequestOnStdin()
    {
        var customizations = new JsonObject { ["hostname"] = "h" };
        var repositories = new JsonArray(new JsonObject { ["baseurl"] = "https://r", ["package_sets"] = new JsonArray("os") });

        await Generator("bare").GenerateAsync(_kit.Request(customizations, repositories, new JsonObject { ["ref"] = "r" }), CancellationToken.None);

        var record = Record();
        Assert.Equal("""["--site"]""", record["argv"]!.ToJsonString());
        Assert.Equal(
            $$"""{"distribution":"rhel-9.6","arch":"x86_64","image_type":"guest-image","generator_type":"qcow2","export":"qcow2","build_pipelines":["build"],"payload_pipelines":["os","image","qcow2"],"customizations":{"hostname":"h"},"repositories":[{"baseurl":"https://r","package_sets":["os"]}],"ostree":{"ref":"r"},"seed":4242,"work_directory":{{JsonValue.Create(_kit.WorkDirectory).ToJsonString()}}}""",
            record["request"]!.ToJsonString());
    }

    [Fact]
    public async Task Generate_TakesABareManifest_WithTheCataloguesPipelines()
    {
        var result = await Generator("bare").GenerateAsync(_kit.Request(), CancellationToken.None);

        Assert.Equal("root", JsonNode.Parse(result.Manifest)!["pipelines"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(["build"], result.Pipelines.Build);
        Assert.Equal(["os", "image", "qcow2"], result.Pipelines.Payload);
        Assert.Empty(result.Sboms);
    }

    [Fact]
    public async Task Generate_TakesAWrappedManifest_WithItsPipelinesAndSboms()
    {
        var result = await Generator("wrapped").GenerateAsync(_kit.Request(), CancellationToken.None);

        Assert.Equal(["root"], result.Pipelines.Build);
        Assert.Equal(["tree"], result.Pipelines.Payload);
        var sbom = Assert.Single(result.Sboms);
        Assert.Equal((Path.Combine(_kit.WorkDirectory, "tree.spdx.json"), "image-tree"), (sbom.Path, sbom.Suffix));
    }

    [Fact]
    public async Task Generate_FailsWithError8AndTheStderrTail_WithoutThePassword()
    {
        var users = JsonNode.Parse("""[{"name": "admin", "password": "topsecret-pw"}]""");

        var error = await Assert.ThrowsAsync<ComposeStepException>(() =>
            Generator("fail").GenerateAsync(_kit.Request(new JsonObject { ["users"] = users }), CancellationToken.None));

        Assert.Equal((8, "the external manifest generator failed (exit code 3)"), (error.Error.Id, error.Error.Reason));
        Assert.Equal("site policy refused user admin with password <redacted>", error.Error.Details!["stderr"]!.GetValue<string>());
    }

    [Fact]
    public async Task Generate_FailsWithError8_WhenTheReplyIsNotAManifestV2()
    {
        var error = await Assert.ThrowsAsync<ComposeStepException>(() => Generator("v1").GenerateAsync(_kit.Request(), CancellationToken.None));

        Assert.Equal((8, "the external manifest generator did not print a manifest v2 (JSON with \"version\": \"2\")"), (error.Error.Id, error.Error.Reason));
        Assert.Equal("""{"version": "1"}""", error.Error.Details!["stdout"]!.GetValue<string>());
    }

    [Fact]
    public async Task Version_IsTheFirstLineOfVersionOutput()
    {
        Assert.Equal("site-generator 3.1", await Generator("bare").VersionAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Version_IsNull_WhenTheCommandHasNone()
    {
        var command = _kit.Wrapper("no-version", "/bin/false", null);
        var generator = new ExternalManifestGenerator(new ManifestGeneratorSettings { Kind = ManifestGeneratorKind.External, Command = command },
            NullLogger<ExternalManifestGenerator>.Instance);

        Assert.Null(await generator.VersionAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Generate_KillsTheCommand_WhenCancelled()
    {
        var slow = Path.Combine(_kit.Root, "slow.py");
        File.WriteAllText(slow, $"#!/usr/bin/env python3\nimport sys, time\nsys.stdin.read()\nopen('{_kit.RecordFile}', 'w').write('started')\ntime.sleep(600)\n");
        File.SetUnixFileMode(slow, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var generator = new ExternalManifestGenerator(
            new ManifestGeneratorSettings { Kind = ManifestGeneratorKind.External, Command = slow, Arguments = [_kit.WorkDirectory] },
            NullLogger<ExternalManifestGenerator>.Instance);
        using var cancel = new CancellationTokenSource();
        var generation = generator.GenerateAsync(_kit.Request(), cancel.Token);
        var pid = await ImageBuilderFailureTests.WaitForStandinAsync(_kit);

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generation);
        // Generous bound (the issue's "within 5 s"): the kill is immediate, the rest is process teardown.
        Assert.True(await ImageBuilderFailureTests.ExitedAsync(pid, TimeSpan.FromSeconds(5)), $"generator {pid} still runs");
    }

    public void Dispose() => _kit.Dispose();

    private ExternalManifestGenerator Generator(string mode)
    {
        var script = Path.Combine(_kit.Root, "site-generator.py");
        File.WriteAllText(script, Script.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var command = _kit.Wrapper("site-generator", script, null,
            $"export EXTERNAL_MODE='{mode}' EXTERNAL_RECORD='{Path.Combine(_kit.Root, "external.json")}'\n");
        return new ExternalManifestGenerator(
            new ManifestGeneratorSettings { Kind = ManifestGeneratorKind.External, Command = command, Arguments = ["--site"] },
            NullLogger<ExternalManifestGenerator>.Instance);
    }

    private JsonObject Record() => JsonNode.Parse(File.ReadAllText(Path.Combine(_kit.Root, "external.json")))!.AsObject();
}
