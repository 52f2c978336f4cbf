using System.CommandLine;
using KojiComposer.Cli.Commands;
using KojiComposer.Cli.Commands.Compose;
using KojiComposer.HubBridge.Authentication;

namespace KojiComposer.Cli;

/// <summary><c>kojicomposer</c>: the release engineer's command line for KojiComposer.</summary>
public static class Program
{
    /// <summary>How long a command may take to wind down after Ctrl-C or SIGTERM (log out of the hub, put the
    /// terminal back) before the process exits anyway.</summary>
    public static readonly TimeSpan TerminationGrace = TimeSpan.FromSeconds(5);

    public static async Task<int> Main(string[] args)
    {
        try
        {
            return await RunAsync(args, CliConsole.System).ConfigureAwait(false);
        }
        finally
        {
            // A keytab login leaves a credential cache (a TGT) and a copy of the keytab's keys in a private temporary
            // directory (KerberosCredentials); they must not outlive the command. Only here, not in RunAsync: tests
            // run many commands in one process at once, and the directory is the process's.
            KerberosCredentials.Shared.Cleanup();
        }
    }

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

        // ProcessTerminationTimeout must be set: System.CommandLine 2.0.0 leaves Ctrl-C and SIGTERM to the runtime
        // (which kills the process on the spot) unless it is, and then no command could log out, say "interrupted"
        // or exit with ExitCodes.Interrupted.
        var invocation = new InvocationConfiguration { Output = console.Out, Error = console.Error, ProcessTerminationTimeout = TerminationGrace };
        return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
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
