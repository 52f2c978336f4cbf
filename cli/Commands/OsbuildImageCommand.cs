using System.CommandLine;

namespace KojiComposer.Cli.Commands;

/// <summary><c>kojicomposer osbuild-image</c>. (Being written.)</summary>
public sealed class OsbuildImageCommand : BaseCommand
{
    public OsbuildImageCommand(CliConsole console)
        : base(console, "osbuild-image", "Submit an osbuildImage task to Koji, like koji osbuild-image")
    {
    }

    protected override Task<int> ExecuteAsync(CommandContext context, ParseResult parse, CancellationToken cancellationToken) =>
        throw new CliException(ExitCodes.Failure, "not implemented yet");
}
