using System.CommandLine;
using KojiComposer.Cli.Commands;
using KojiComposer.Cli.Commands.Compose;

namespace KojiComposer.Cli;

/// <summary><c>kojicomposer</c>: the release engineer's command line for KojiComposer.</summary>
public static class Program
{
    public static Task<int> Main(string[] args) => RunAsync(args, CliConsole.System);

    /// <summary>The whole command tree (also what completion walks).</summary>
    public static RootCommand BuildRoot(CliConsole console)
    {
        var root = new RootCommand("KojiComposer: Koji image builds with osbuild, with live progress and honest status.");
        GlobalOptions.AddTo(root);
        root.Subcommands.Add(new OsbuildImageCommand(console).Command);
        root.Subcommands.Add(new WatchCommand(console).Command);
        root.Subcommands.Add(ComposeCommand.Create(console));
        root.Subcommands.Add(new HelloCommand(console).Command);
        root.Subcommands.Add(new DoctorCommand(console).Command);
        root.Subcommands.Add(new CompletionCommand(console).Command);
        Completion.Suggestions.AddTo(root, console);
        return root;
    }

    /// <summary>Runs the command tree; tests call this with captured writers.</summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var root = BuildRoot(console);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            var command = string.Join(' ', CommandPath(parse.CommandResult.Command));
            foreach (var error in parse.Errors)
            {
                await console.Error.WriteLineAsync($"{command}: error: {error.Message}").ConfigureAwait(false);
            }

            await console.Error.WriteLineAsync($"Try '{command} --help'.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = console.Out, Error = console.Error }, cancellationToken).ConfigureAwait(false);
    }

    private static IEnumerable<string> CommandPath(Command command)
    {
        var names = new List<string>();
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Insert(0, c is RootCommand ? "kojicomposer" : c.Name);
        }

        return names;
    }
}
