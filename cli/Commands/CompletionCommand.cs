using System.CommandLine;

namespace KojiComposer.Cli.Commands;

/// <summary><c>kojicomposer completion</c>. (Being written.)</summary>
public sealed class CompletionCommand : BaseCommand
{
    public CompletionCommand(CliConsole console)
        : base(console, "completion", "Print a shell completion script (bash, zsh or fish)")
    {
    }

    protected override Task<int> ExecuteAsync(CommandContext context, ParseResult parse, CancellationToken cancellationToken) =>
        throw new CliException(ExitCodes.Failure, "not implemented yet");
}
