using System.CommandLine;

namespace KojiComposer.Cli.Commands;

/// <summary><c>kojicomposer watch</c>. (Being written.)</summary>
public sealed class WatchCommand : BaseCommand
{
    public WatchCommand(CliConsole console)
        : base(console, "watch", "Follow a Koji task or a compose with live per-image progress until it ends")
    {
    }

    protected override Task<int> ExecuteAsync(CommandContext context, ParseResult parse, CancellationToken cancellationToken) =>
        throw new CliException(ExitCodes.Failure, "not implemented yet");
}
