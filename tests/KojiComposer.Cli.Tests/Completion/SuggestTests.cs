using System.CommandLine;
using KojiComposer.Builder.Catalogue;
using KojiComposer.Cli.Completion;

namespace KojiComposer.Cli.Tests.Completion;

/// <summary>
/// What a shell gets back from <c>kojicomposer [suggest:N] "LINE"</c>, the directive the completion scripts call:
/// commands, options and the values of <see cref="Suggestions"/>, for the real command tree.
/// </summary>
public sealed class SuggestTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    /// <summary>The candidates for <paramref name="line"/> with the cursor at its end, one a line as the shell reads them.</summary>
    private async Task<IReadOnlyList<string>> SuggestAsync(string line)
    {
        var result = await _cli.RunAsync($"[suggest:{line.Length}]", line);
        Assert.True(result.Code == ExitCodes.Success, result.ToString());
        Assert.Equal("", result.Error);
        return result.OutLines;
    }

    [Fact]
    public async Task Suggest_CompletesCommandNames()
    {
        Assert.Equal(["completion", "compose"], await SuggestAsync("kojicomposer comp"));
    }

    [Fact]
    public async Task Suggest_ListsTheComposeSubcommands()
    {
        // Needs the compose commands (another branch): passes once they are merged.
        Assert.Superset(
            new HashSet<string>(["list", "show", "logs", "manifests", "cancel", "retry-failed"], StringComparer.Ordinal),
            (await SuggestAsync("kojicomposer compose ")).ToHashSet(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Suggest_CompletesOsbuildImageImageTypeOption()
    {
        // Needs osbuild-image's options (another branch): passes once they are merged.
        Assert.Equal(["--image-type"], await SuggestAsync("kojicomposer osbuild-image --im"));
    }

    [Fact]
    public async Task Suggest_OffersImageTypes_ForOsbuildImageImageType()
    {
        // Needs osbuild-image's options (another branch): passes once they are merged.
        Assert.Equal(["edge-commit", "edge-container", "edge-installer", "edge-raw-image", "edge-simplified-installer"],
            await SuggestAsync("kojicomposer osbuild-image --image-type edge"));
    }

    [Fact]
    public async Task Suggest_OffersStates_ForComposeListState()
    {
        // Needs compose list (another branch): passes once it is merged.
        Assert.Equal(["canceled", "failure", "finalizing", "pending", "running", "success"], await SuggestAsync("kojicomposer compose list --state "));
    }

    [Fact]
    public async Task Suggest_OffersTheProfilesOfTheCliConfigs_ForProfile()
    {
        _cli.WriteUserConfig("""
            [koji]
            server = "https://koji.example.com/kojihub"

            [stg]  # staging
            server = "https://koji.stg.example.com/kojihub"
            """);

        Assert.Equal(["koji", "stg"], await SuggestAsync("kojicomposer -p "));
        Assert.Equal(["stg"], await SuggestAsync("kojicomposer doctor --profile s"));
    }

    [Fact]
    public async Task Suggest_ReadsProfilesFromTheGivenCliConfig_EvenWhenItHasErrors()
    {
        _cli.WriteUserConfig("[koji]\n");
        var other = _cli.WriteFile("site.toml", "[prod]\nserver = \"not a url\"\n\n[prod.nested]\n[\"dev box\"]\n");

        Assert.Equal(["dev box", "prod"], await SuggestAsync($"kojicomposer --cli-config {other} -p "));
    }

    [Fact]
    public async Task Suggest_OffersTheShells_ForCompletion()
    {
        // The directive offers every candidate containing the word (here: all, options too); the shells keep the
        // ones that start with it.
        Assert.Superset(new HashSet<string>(["bash", "fish", "zsh"], StringComparer.Ordinal), (await SuggestAsync("kojicomposer completion ")).ToHashSet(StringComparer.Ordinal));
        Assert.Equal(["zsh"], await SuggestAsync("kojicomposer completion z"));
    }

    [Fact]
    public void ImageTypes_AreTheCatalogueNames_ThenTheKojiAliases()
    {
        var catalogue = ImageTypeCatalogue.Load().Entries.Select(e => e.ImageType).Distinct(StringComparer.Ordinal);

        Assert.Equal([.. catalogue, .. ImageTypeCatalogue.KojiAliases.Keys], Suggestions.ImageTypes);
    }

    [Fact]
    public void Suggestions_ReachOptionsWhereverTheCommandsDefineThem()
    {
        // The same lookup the real tree gets, on a stand-in tree: sources land on the options by command path.
        var console = new CliConsole(TextWriter.Null, TextWriter.Null);
        var imageType = new Option<string[]>("--image-type");
        var state = new Option<string?>("--state");
        var root = new RootCommand { new Command("osbuild-image") { imageType }, new Command("compose") { new Command("list") { state } } };

        Suggestions.AddTo(root, console);
        Suggestions.AddTo(root, console);

        Assert.Equal(Suggestions.ImageTypes.Order(StringComparer.Ordinal), root.Parse("osbuild-image --image-type ").GetCompletions(27).Select(c => c.Label));
        Assert.Equal(["failure", "finalizing"], root.Parse("compose list --state f").GetCompletions(22).Select(c => c.Label));
        Assert.Single(imageType.CompletionSources);
    }
}
