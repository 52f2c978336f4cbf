using System.CommandLine;
using KojiComposer.Cli.Watch;

namespace KojiComposer.Cli.Commands;

/// <summary>
/// <c>kojicomposer watch TASK|COMPOSE</c>: follows an <c>osbuildImage</c> task (by its Koji id) or a compose (by its
/// UUID) until it ends, with a live progress bar per image on a terminal and plain lines otherwise; exits 0 when it
/// succeeded, 1 when it failed or was canceled, 9 when there is no such task or compose, 130 on Ctrl-C (the build
/// goes on). A hub or service that stops answering mid-watch is waited out; after 10 minutes without an answer the
/// watch stops with that error's code (5 hub unreachable, 7 service unreachable, 8 service error). See
/// <see cref="WatchRunner"/>.
/// </summary>
public sealed class WatchCommand : BaseCommand
{
    private readonly Argument<string> _target = new("TASK|COMPOSE")
    {
        Description = "A Koji task id (e.g. 12345) or a compose id (a UUID)",
    };

    public WatchCommand(CliConsole console)
        : base(console, "watch", "Follow a Koji task or a compose with live per-image progress until it ends")
    {
        Command.Arguments.Add(_target);
    }

    protected override Task<int> ExecuteAsync(CommandContext context, ParseResult parse, CancellationToken cancellationToken)
    {
        var target = WatchTarget.Parse(parse.GetValue(_target)!);
        return new WatchRunner(context).RunAsync(target, cancellationToken);
    }
}
