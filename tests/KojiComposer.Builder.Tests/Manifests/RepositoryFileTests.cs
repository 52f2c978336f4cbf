using System.Text.Json.Nodes;
using KojiComposer.Contracts.Errors;

namespace KojiComposer.Builder.Tests.Manifests;

/// <summary>Image request repositories as the <c>--force-repo-dir</c> file image-builder reads.</summary>
public sealed class RepositoryFileTests : IDisposable
{
    private readonly GeneratorKit _kit = new();

    [Fact]
    public async Task Generate_UsesTheDistrosOwnRepositories_WhenTheRequestHasNone()
    {
        await _kit.ImageBuilder().GenerateAsync(_kit.Request(), CancellationToken.None);

        Assert.DoesNotContain("--force-repo-dir", _kit.Argv());
        Assert.Empty(_kit.Record()["repo_files"]!.AsObject());
    }

    [Fact]
    public async Task Generate_WritesTheRepositoriesAsTheDistrosFile_ForTheArch()
    {
        var repositories = JsonNode.Parse("""
            [{"baseurl": "https://koji.example.com/kojifiles/repos/rhel-9.6-build/123/x86_64", "rhsm": false},
             {"metalink": "https://mirrors.example.com/metalink?repo=extras", "gpgkey": "https://keys.example.com/key.asc", "check_gpg": true, "name": "extras"},
             {"mirrorlist": "https://mirrors.example.com/list", "id": "mirrored", "module_hotfixes": true, "rhsm": true}]
            """)!.AsArray();

        await _kit.ImageBuilder().GenerateAsync(_kit.Request(repositories: repositories), CancellationToken.None);

        var argv = _kit.Argv();
        Assert.Equal(Path.Combine(_kit.WorkDirectory, "repos"), argv[Array.IndexOf(argv, "--force-repo-dir") + 1]);
        Assert.Equal(
            """{"x86_64":[{"name":"repo-1","baseurl":"https://koji.example.com/kojifiles/repos/rhel-9.6-build/123/x86_64"},""" +
            """{"name":"extras","metalink":"https://mirrors.example.com/metalink?repo=extras","gpgkeys":["https://keys.example.com/key.asc"],"check_gpg":true},""" +
            """{"name":"mirrored","mirrorlist":"https://mirrors.example.com/list","rhsm":true,"module_hotfixes":true}]}""",
            _kit.Record()["repo_files"]!["rhel-9.6.json"]!.ToJsonString());
    }

    [Fact]
    public async Task Generate_RestrictsARepositoryToItsPackageSets()
    {
        var repositories = JsonNode.Parse("""
            [{"baseurl": "https://all.example.com"},
             {"baseurl": "https://build-only.example.com", "package_sets": ["build"]},
             {"baseurl": "https://os-only.example.com", "package_sets": ["os"]}]
            """)!.AsArray();

        var result = await _kit.ImageBuilder().GenerateAsync(_kit.Request(repositories: repositories), CancellationToken.None);

        Assert.Equal("""["build"]""", _kit.Record()["repo_files"]!["rhel-9.6.json"]!["x86_64"]![1]!["package_sets"]!.ToJsonString());
        var pipelines = JsonNode.Parse(result.Manifest)!["pipelines"]!.AsArray();
        string Repos(string pipeline) => pipelines.Single(p => p!["name"]!.GetValue<string>() == pipeline)!["stages"]![0]!["options"]!["repos"]!.ToJsonString();
        Assert.Equal("""["repo-1","repo-2"]""", Repos("build"));
        Assert.Equal("""["repo-1","repo-3"]""", Repos("os"));
    }

    [Theory]
    [InlineData("""{"baseurl": "https://r", "check_gpg": true}""", "repositories 1: \"check_gpg\" is true but no \"gpgkey\" is given")]
    [InlineData("""{"rhsm": false}""", "repositories 1: needs one of \"baseurl\", \"mirrorlist\" or \"metalink\"")]
    [InlineData("""{"baseurl": "https://r", "check_repo_gpg": true}""", "repositories 1: \"check_repo_gpg\" (repository metadata signature checks) is not supported by the image-builder manifest generator")]
    [InlineData("""{"baseurl": "https://r", "ignore_ssl": true}""", "repositories 1: \"ignore_ssl\" (skipping TLS verification) is not supported by the image-builder manifest generator")]
    [InlineData("""{"baseurl": "https://r", "priority": 1}""", "repositories 1: \"priority\" is not a repository key")]
    [InlineData("""{"baseurl": "https://r", "package_sets": []}""", "repositories 1: \"package_sets\" must name at least one package set")]
    public async Task Generate_RefusesARepositoryTheFileCannotExpress(string repository, string reason)
    {
        var error = await Assert.ThrowsAsync<ComposeStepException>(() =>
            _kit.ImageBuilder().GenerateAsync(_kit.Request(repositories: [JsonNode.Parse(repository)]), CancellationToken.None));

        Assert.Equal((29, reason), (error.Error.Id, error.Error.Reason));
    }

    public void Dispose() => _kit.Dispose();
}
