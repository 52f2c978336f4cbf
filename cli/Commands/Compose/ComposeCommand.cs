using System.CommandLine;

namespace KojiComposer.Cli.Commands.Compose;

/// <summary><c>kojicomposer compose list|show|logs|manifests|cancel|retry-failed</c>: the service's composes.
/// (Being written.)</summary>
public static class ComposeCommand
{
    public static Command Create(CliConsole console)
    {
        var compose = new Command("compose", "Composes on the KojiComposer service: list, show, logs, manifests, cancel, retry-failed");
        return compose;
    }
}
