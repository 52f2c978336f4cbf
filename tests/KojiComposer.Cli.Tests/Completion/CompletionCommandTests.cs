using System.Diagnostics;

namespace KojiComposer.Cli.Tests.Completion;

public sealed class CompletionCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("bash", "complete -o default -F _kojicomposer_complete kojicomposer")]
    [InlineData("zsh", "compdef _kojicomposer kojicomposer")]
    [InlineData("fish", "complete -c kojicomposer -f -a '(__kojicomposer_complete)'")]
    public async Task Completion_PrintsAScriptThatAsksTheSuggestDirective(string shell, string registration)
    {
        var result = await _cli.RunAsync("completion", shell);

        Assert.Equal(ExitCodes.Success, result.Code);
        Assert.Equal("", result.Error);
        Assert.StartsWith(shell == "zsh" ? "#compdef kojicomposer\n" : $"# {shell} completion for kojicomposer", result.Out, StringComparison.Ordinal);
        Assert.Contains($"(printed by: kojicomposer completion {shell})", result.Out, StringComparison.Ordinal);
        Assert.Contains("kojicomposer \"[suggest:", result.Out, StringComparison.Ordinal);
        Assert.Contains(registration, result.OutLines.Select(l => l.Trim()));
        Assert.EndsWith("\n", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completion_RefusesAnUnknownShell()
    {
        var result = await _cli.RunAsync("completion", "tcsh");

        Assert.Equal(ExitCodes.Usage, result.Code);
        Assert.Contains("tcsh", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BashScript_CompletesThroughTheInstalledKojicomposer()
    {
        var script = _cli.WriteFile("kojicomposer.bash", (await _cli.RunAsync("completion", "bash")).Out);
        var candidates = await BashCompleteAsync(script, "kojicomposer comp");

        Assert.Equal(["completion", "compose"], candidates);
        Assert.Equal(["json", "text"], await BashCompleteAsync(script, "kojicomposer doctor --format "));
    }

    /// <summary>Sources the script in bash and calls its function as bash's completion would, with
    /// <c>kojicomposer</c> (the apphost next to the tests) on PATH.</summary>
    private static async Task<IReadOnlyList<string>> BashCompleteAsync(string script, string line)
    {
        var words = line.Split(' ');
        var program = $"""
            source '{script}'
            COMP_LINE='{line}'
            COMP_POINT={line.Length}
            COMP_WORDS=({string.Join(' ', words.Select(w => $"'{w}'"))})
            COMP_CWORD={words.Length - 1}
            _kojicomposer_complete
            printf '%s\n' "${"{"}COMPREPLY[@]{"}"}"
            """;
        var start = new ProcessStartInfo("bash", ["--norc", "-c", program]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PATH"] = AppContext.BaseDirectory + ":" + Environment.GetEnvironmentVariable("PATH");
        using var bash = Process.Start(start)!;
        var output = await bash.StandardOutput.ReadToEndAsync();
        var error = await bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();
        Assert.True(bash.ExitCode == 0, error);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
