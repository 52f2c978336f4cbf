using System.CommandLine;
using KojiComposer.Config;
using KojiComposer.HubBridge;
using KojiComposer.HubBridge.Authentication;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Transport;

namespace KojiComposer.Cli.Commands;

/// <summary>
/// What every command shares: the command object, the console, and turning our exceptions into one actionable
/// line on stderr plus an exit code (<see cref="ExitCodes"/>).
/// </summary>
public abstract class BaseCommand
{
    protected BaseCommand(CliConsole console, string name, string description)
    {
        Console = console;
        Command = new Command(name, description);
        Command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await ExecuteAsync(parse, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (ExitCodeFor(e) is { } code)
            {
                await Console.Error.WriteLineAsync($"kojicomposer {name}: error: {e.Message}").ConfigureAwait(false);
                return code;
            }
        });
    }

    public Command Command { get; }

    protected CliConsole Console { get; }

    protected abstract Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken);

    private static int? ExitCodeFor(Exception e) => e switch
    {
        ConfigurationException => ExitCodes.Configuration,
        KerberosException => ExitCodes.Authentication,
        KojiAuthErrorFault or KojiAuthLockErrorFault or KojiAuthExpiredFault => ExitCodes.Authentication,
        KojiTransportException => ExitCodes.HubUnreachable,
        KojiException => ExitCodes.HubError,
        ArgumentException => ExitCodes.Usage,
        _ => null,
    };
}
