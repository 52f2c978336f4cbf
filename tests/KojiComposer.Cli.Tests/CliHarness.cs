using KojiComposer.Testing;
using Spectre.Console;

namespace KojiComposer.Cli.Tests;

/// <summary>
/// Runs the real command tree (<see cref="Program.RunAsync"/>) the way a release engineer's shell does, with
/// captured stdout and stderr, a private HOME (so no real ~/.config is read) and a profile file written for the
/// hub and service under test. Not a terminal unless asked.
/// </summary>
public sealed class CliHarness : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("kc-cli-");

    /// <summary>A private home directory; <c>~/.config/kojicomposer/cli.toml</c> lives under it.</summary>
    public string Home => _dir.FullName;

    /// <summary>Extra environment variables the command sees.</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether stdout is a terminal (live progress instead of plain lines).</summary>
    public bool OutputIsTerminal { get; set; }

    /// <summary>koji's "running in the background" (stdin not a terminal, or not the foreground group).</summary>
    public bool InBackground { get; set; } = true;

    /// <summary>The Spectre console live displays draw on (e.g. a Spectre.Console.Testing TestConsole); with
    /// <see cref="OutputIsTerminal"/>.</summary>
    public IAnsiConsole? Terminal { get; set; }

    /// <summary>The terminal width the command sees.</summary>
    public int Width { get; set; } = 100;

    /// <summary>Writes <c>~/.config/kojicomposer/cli.toml</c> with the given text.</summary>
    public string WriteUserConfig(string toml)
    {
        var path = Path.Combine(Home, ".config", "kojicomposer", "cli.toml");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, toml);
        return path;
    }

    /// <summary>A profile <c>[koji]</c> for the simulated hub as releng (keytab), and the service when given.</summary>
    public string WriteProfile(Uri hub, Uri? service = null, string name = "koji", string extra = "") =>
        WriteUserConfig($"""
            [{name}]
            server = "{hub.AbsoluteUri}"
            weburl = "https://koji.example.com/koji"
            {(service is null ? "" : $"service = \"{service.AbsoluteUri}\"")}
            principal = "{TestStack.UserPrincipal}"
            keytab = "{TestStack.Keytab("releng")}"
            poll_interval_seconds = 0.2
            max_retries = 2
            retry_interval_seconds = 0.05
            {extra}
            """);

    /// <summary>A file in the private directory.</summary>
    public string WriteFile(string name, string text)
    {
        var path = Path.Combine(Home, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Runs <c>kojicomposer ARGS</c>.</summary>
    public async Task<CliResult> RunAsync(params string[] args) => await RunAsync(args, CancellationToken.None);

    public async Task<CliResult> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole(output, error)
        {
            IsOutputTerminal = OutputIsTerminal,
            IsInputTerminal = !InBackground,
            InBackground = () => InBackground,
            Environment = name => name == "HOME" ? Home : Environment.GetValueOrDefault(name),
            Width = () => Width,
            Terminal = Terminal,
        };
        var code = await Program.RunAsync(args, console, cancellationToken);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    public void Dispose() => _dir.Delete(recursive: true);
}

/// <summary>What a run printed and exited with.</summary>
public sealed record CliResult(int Code, string Out, string Error)
{
    /// <summary>stdout's lines, without the final newline.</summary>
    public IReadOnlyList<string> OutLines => Out.Length == 0 ? [] : Out.TrimEnd('\n').Split('\n');

    public override string ToString() => $"exit {Code}\n--- stdout\n{Out}--- stderr\n{Error}";
}
