using System.CommandLine;

namespace KojiComposer.Cli.Commands;

/// <summary><c>kojicomposer doctor</c>. (Being written.)</summary>
public sealed class DoctorCommand : BaseCommand
{
    public DoctorCommand(CliConsole console)
        : base(console, "doctor", "Check this machine's KojiComposer set-up and say what to fix")
    {
    }

    protected override Task<int> ExecuteAsync(CommandContext context, ParseResult parse, CancellationToken cancellationToken) =>
        throw new CliException(ExitCodes.Failure, "not implemented yet");
}
