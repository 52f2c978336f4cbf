using System.CommandLine;
using KojiComposer.Scheduler.Web.Access;

namespace KojiComposer.Service.Commands;

/// <summary><c>kojicomposerd hash-password</c>: reads a password from standard input (one line) and prints the
/// <c>password_hash</c> value for a <c>[[web.users]]</c> entry. The password is never echoed or stored.</summary>
public sealed class HashPasswordCommand
{
    private readonly ServiceConsole _console;
    private readonly TextReader _input;

    public HashPasswordCommand(ServiceConsole console, TextReader input)
    {
        _console = console;
        _input = input;
        Command = new Command("hash-password", "Read a password from stdin and print its hash for [[web.users]] password_hash");
        Command.SetAction(async (_, cancellationToken) => await RunAsync(cancellationToken).ConfigureAwait(false));
    }

    public Command Command { get; }

    private async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var password = await _input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(password))
        {
            await _console.Error.WriteLineAsync("kojicomposerd hash-password: error: no password on standard input (e.g. `read -rs p; printf '%s\\n' \"$p\" | kojicomposerd hash-password`)").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        await _console.Out.WriteLineAsync(WebPasswordHash.Create(password)).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
