using System.CommandLine;
using KojiComposer.Cli.Service;
using KojiComposer.Config;
using KojiComposer.HubBridge;
using KojiComposer.HubBridge.Authentication;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Transport;

namespace KojiComposer.Cli.Commands;

/// <summary>
/// What every command shares: the command object, the console, the invocation's <see cref="CommandContext"/>,
/// and turning our exceptions into one actionable line on stderr plus an exit code (<see cref="ExitCodes"/>).
/// </summary>
public abstract class BaseCommand
{
    protected BaseCommand(CliConsole console, string name, string description)
    {
        Console = console;
        Name = name;
        Command = new Command(name, description);
        Command.SetAction(async (parse, cancellationToken) =>
        {
            using var context = new CommandContext(parse, console);
            try
            {
                return await ExecuteAsync(context, parse, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync($"kojicomposer {Name}: interrupted").ConfigureAwait(false);
                return ExitCodes.Interrupted;
            }
            catch (Exception e) when (ExitCodeFor(e) is { } code)
            {
                await Console.Error.WriteLineAsync($"kojicomposer {Name}: error: {OneLine(e)}").ConfigureAwait(false);
                return code;
            }
            catch (Exception e)
            {
                // A bug (or an answer nobody foresaw): still one line on stderr, never a stack trace on the
                // terminal or anything on stdout that a --format json reader would choke on.
                await Console.Error.WriteLineAsync($"kojicomposer {Name}: error: unexpected {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")} (a bug in kojicomposer: please report it with the command line)").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        });
    }

    public Command Command { get; }

    /// <summary>The command's full name as typed (<c>compose show</c>), for messages.</summary>
    protected string Name { get; init; }

    protected CliConsole Console { get; }

    protected abstract Task<int> ExecuteAsync(CommandContext context, ParseResult parse, CancellationToken cancellationToken);

    /// <summary>Adds options to the command.</summary>
    protected void Add(params Option[] options)
    {
        foreach (var option in options)
        {
            Command.Options.Add(option);
        }
    }

    /// <summary>An error for the user: exits with <paramref name="code"/> after one line naming the problem.</summary>
    public sealed class CliException(int code, string message) : Exception(message)
    {
        public int Code { get; } = code;
    }

    /// <summary>Configuration problems are listed one per line (each is actionable on its own); everything else is
    /// one line.</summary>
    private static string OneLine(Exception e) => e is ConfigurationException ? e.Message : e.Message.ReplaceLineEndings(" ");

    internal static int? ExitCodeFor(Exception e) => e switch
    {
        CliException cli => cli.Code,
        ConfigurationException => ExitCodes.Configuration,
        KerberosException => ExitCodes.Authentication,
        KojiAuthErrorFault or KojiAuthLockErrorFault or KojiAuthExpiredFault => ExitCodes.Authentication,
        KojiTransportException => ExitCodes.HubUnreachable,
        KojiException => ExitCodes.HubError,
        ServiceException { Unreachable: true } => ExitCodes.ServiceUnreachable,
        ServiceException { Unauthenticated: true } => ExitCodes.Authentication,
        ServiceException { NotFound: true } => ExitCodes.NotFound,
        ServiceException => ExitCodes.ServiceError,
        ArgumentException => ExitCodes.Usage,
        _ => null,
    };
}
