using System.CommandLine;
using KojiComposer.Service.Commands;

namespace KojiComposer.Service;

/// <summary><c>kojicomposerd</c>: the KojiComposer service (scheduler, builder and hub bridge, in one process or
/// several).</summary>
public static class Program
{
    public static Task<int> Main(string[] args) => RunAsync(args, ServiceConsole.System);

    /// <summary>Runs the command tree; tests call this with captured writers and their own cancellation.</summary>
    public static async Task<int> RunAsync(string[] args, ServiceConsole console, CancellationToken cancellationToken = default, TextReader? input = null)
    {
        var root = new RootCommand("kojicomposerd: the KojiComposer service (Koji osbuildImage tasks built with osbuild).");
        root.Subcommands.Add(new ServeCommand(console).Command);
        root.Subcommands.Add(new CheckConfigCommand(console).Command);
        root.Subcommands.Add(new HashPasswordCommand(console, input ?? Console.In).Command);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await console.Error.WriteLineAsync($"kojicomposerd: error: {error.Message}").ConfigureAwait(false);
            }

            await console.Error.WriteLineAsync("Try 'kojicomposerd --help'.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // ProcessTerminationTimeout = null: System.CommandLine would otherwise answer SIGTERM by giving up on the
        // command after 2 s. The host handles SIGTERM itself and waits the shutdown grace for running work.
        var invocation = new InvocationConfiguration { Output = console.Out, Error = console.Error, ProcessTerminationTimeout = null };
        return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }
}
