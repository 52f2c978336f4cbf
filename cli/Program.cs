using System.CommandLine;
using KojiComposer.Cli.Commands;

namespace KojiComposer.Cli;

/// <summary><c>kojicomposer</c>: the release engineer's command line for KojiComposer.</summary>
public static class Program
{
    public static Task<int> Main(string[] args) => RunAsync(args, CliConsole.System);

    /// <summary>Runs the command tree; tests call this with captured writers.</summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("KojiComposer: Koji image builds with osbuild, with live progress and honest status.");
        root.Subcommands.Add(new HelloCommand(console).Command);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await console.Error.WriteLineAsync($"kojicomposer: error: {error.Message}").ConfigureAwait(false);
            }

            await console.Error.WriteLineAsync("Try 'kojicomposer --help'.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = console.Out, Error = console.Error }, cancellationToken).ConfigureAwait(false);
    }
}
