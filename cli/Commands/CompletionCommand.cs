using System.CommandLine;
using KojiComposer.Cli.Completion;

namespace KojiComposer.Cli.Commands;

/// <summary>
/// <c>kojicomposer completion bash|zsh|fish</c>: prints a script that makes the shell complete <c>kojicomposer</c>'s
/// commands, options and values by asking <c>kojicomposer</c> itself (<see cref="CompletionScripts"/>).
/// </summary>
public sealed class CompletionCommand : BaseCommand
{
    private readonly Argument<string> _shell = new("shell")
    {
        Description = "The shell to print the script for: bash, zsh or fish",
    };

    public CompletionCommand(CliConsole console)
        : base(console, "completion", "Print a shell completion script (bash, zsh or fish)")
    {
        _shell.AcceptOnlyFromAmong([.. CompletionScripts.Shells]);
        Command.Arguments.Add(_shell);
    }

    protected override async Task<int> ExecuteAsync(CommandContext context, ParseResult parse, CancellationToken cancellationToken)
    {
        await Console.Out.WriteAsync(CompletionScripts.For(parse.GetValue(_shell)!)).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
