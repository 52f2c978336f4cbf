using KojiComposer.Builder.Manifests;
using System.Text.Json.Nodes;
using KojiComposer.Builder.Catalogue;

namespace KojiComposer.Builder.Tests.Manifests;

public sealed class ImageBuilderCommandTests : IDisposable
{
    private readonly GeneratorKit _kit = new();

    [Fact]
    public async Task Generate_RunsImageBuilderManifest_WithTheDocumentedFlags()
    {
        var result = await _kit.ImageBuilder(rpmmdCache: "/var/cache/rpmmd").GenerateAsync(_kit.Request(), CancellationToken.None);

        var work = _kit.WorkDirectory;
        Assert.Equal(
        [
            "manifest", "qcow2", "--distro", "rhel-9.6", "--arch", "x86_64", "--blueprint", Path.Combine(work, "blueprint.json"),
            "--seed", "4242", "--use-librepo=true", "--rpmmd-cache", "/var/cache/rpmmd", "--with-sbom", "--output-dir", Path.Combine(work, "sbom"),
        ], _kit.Argv());
        Assert.Equal("2", JsonNode.Parse(result.Manifest)!["version"]!.GetValue<string>());
    }

    [Fact]
    public async Task Generate_PipelinesComeFromTheCatalogue_AndMatchTheManifest()
    {
        var result = await _kit.ImageBuilder().GenerateAsync(_kit.Request(), CancellationToken.None);

        var names = JsonNode.Parse(result.Manifest)!["pipelines"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToArray();
        Assert.Equal(["build"], result.Pipelines.Build);
        Assert.Equal(["os", "image", "qcow2"], result.Pipelines.Payload);
        Assert.Equal([.. result.Pipelines.Build, .. result.Pipelines.Payload], names);
    }

    [Fact]
    public async Task Generate_PassesTheSeed_WhichTheManifestCarries()
    {
        var result = await _kit.ImageBuilder().GenerateAsync(_kit.Request(seed: 987654321012), CancellationToken.None);

        Assert.Contains("987654321012", _kit.Argv());
        Assert.Equal(987654321012, JsonNode.Parse(result.Manifest)!["pipelines"]![0]!["stages"]![0]!["options"]!["seed"]!.GetValue<long>());
    }

    [Fact]
    public async Task Generate_UsesCurlSources_WhenLibrepoIsOff()
    {
        var result = await _kit.ImageBuilder(useLibrepo: false).GenerateAsync(_kit.Request(), CancellationToken.None);

        Assert.Contains("--use-librepo=false", _kit.Argv());
        Assert.NotNull(JsonNode.Parse(result.Manifest)!["sources"]!["org.osbuild.curl"]);
    }

    [Fact]
    public async Task Generate_PassesTheOstreeOptions_AsImageBuildersFlags()
    {
        var type = ImageTypeCatalogue.Load().Find("rhel-9.6", "edge-commit")!;
        var ostree = new JsonObject { ["ref"] = "rhel/9/x86_64/edge", ["parent"] = "abc123", ["url"] = "https://ostree.example.com/repo" };

        var result = await _kit.ImageBuilder().GenerateAsync(_kit.Request(ostree: ostree, type: type), CancellationToken.None);

        var argv = _kit.Argv();
        Assert.Equal("edge-commit", argv[1]);
        var at = Array.IndexOf(argv, "--ostree-ref");
        Assert.Equal(["--ostree-ref", "rhel/9/x86_64/edge", "--ostree-parent", "abc123", "--ostree-url", "https://ostree.example.com/repo"], argv[at..(at + 6)]);
        Assert.Equal(["os", "ostree-commit", "commit-archive"], result.Pipelines.Payload);
        Assert.Contains("\"rhel/9/x86_64/edge\"", result.Manifest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_LeavesEmptyOstreeValuesOut()
    {
        await _kit.ImageBuilder().GenerateAsync(_kit.Request(ostree: new JsonObject { ["ref"] = "r", ["parent"] = "" }), CancellationToken.None);

        Assert.Contains("--ostree-ref", _kit.Argv());
        Assert.DoesNotContain("--ostree-parent", _kit.Argv());
    }

    [Fact]
    public async Task Generate_RefusesOstreeOptionsImageBuilderHasNoFlagFor()
    {
        var error = await Assert.ThrowsAsync<Contracts.Errors.ComposeStepException>(() =>
            _kit.ImageBuilder().GenerateAsync(_kit.Request(ostree: new JsonObject { ["contenturl"] = "https://c" }), CancellationToken.None));

        Assert.Equal(29, error.Error.Id);
        Assert.Equal("ostree: \"contenturl\" is not supported by the image-builder manifest generator", error.Error.Reason);
    }

    [Fact]
    public async Task Generate_ReturnsTheSboms_WithTheirKojiSuffixes()
    {
        var result = await _kit.ImageBuilder().GenerateAsync(_kit.Request(), CancellationToken.None);

        Assert.Equal(["buildroot-build", "image-os"], result.Sboms.Select(s => s.Suffix));
        Assert.All(result.Sboms, s => Assert.True(File.Exists(s.Path), s.Path));
    }

    [Fact]
    public async Task Version_IsTheReleaseImageBuilderPrints()
    {
        Assert.Equal("79", await _kit.ImageBuilder().VersionAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Version_SaysWhatToInstall_WhenTheCommandIsMissing()
    {
        var generator = new ImageBuilderManifestGenerator(
            new ManifestGeneratorSettings { Command = Path.Combine(_kit.Root, "no-image-builder") },
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ImageBuilderManifestGenerator>.Instance);

        var error = await Assert.ThrowsAsync<ManifestGeneratorUnavailableException>(() => generator.VersionAsync(CancellationToken.None));

        Assert.Contains("no-image-builder", error.Message, StringComparison.Ordinal);
        Assert.Contains("dnf install image-builder", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _kit.Dispose();
}
