using System.CommandLine;

namespace KojiComposer.Cli.Commands.Compose;

/// <summary><c>kojicomposer compose list|show|logs|manifests|cancel|retry-failed</c>: the service's composes, over
/// its API (<see cref="Service.ServiceClient"/>).</summary>
public static class ComposeCommand
{
    /// <summary>The <c>compose</c> command with its subcommands.</summary>
    public static Command Create(CliConsole console)
    {
        var compose = new Command("compose", "Composes on the KojiComposer service: list, show, logs, manifests, cancel, retry-failed");
        compose.Subcommands.Add(new ComposeListCommand(console).Command);
        compose.Subcommands.Add(new ComposeShowCommand(console).Command);
        compose.Subcommands.Add(new ComposeLogsCommand(console).Command);
        compose.Subcommands.Add(new ComposeManifestsCommand(console).Command);
        compose.Subcommands.Add(new ComposeCancelCommand(console).Command);
        compose.Subcommands.Add(new ComposeRetryFailedCommand(console).Command);
        return compose;
    }
}
