using System.CommandLine;
using KojiComposer.Cli.Service;

namespace KojiComposer.Cli.Commands.Compose;

/// <summary>
/// <c>kojicomposer compose retry-failed ID|TASK</c>: resets a finished compose's failed and canceled images so the
/// compose builds them again (a new reservation, then the import). Refused (exit 8, the service's reason) when
/// nothing failed, the compose still runs, or it serves a Koji task: that task ended with it and is resubmitted in
/// Koji instead. Needs the operator role.
/// </summary>
internal sealed class ComposeRetryFailedCommand : ComposeReferenceCommand
{
    public ComposeRetryFailedCommand(CliConsole console)
        : base(console, "retry-failed", "Build a finished compose's failed and canceled images again")
    {
    }

    protected override async Task<int> ExecuteAsync(CommandContext context, ParseResult parse, CancellationToken cancellationToken)
    {
        var compose = await ResolveAsync(context, parse, cancellationToken).ConfigureAwait(false);
        System.Text.Json.Nodes.JsonObject answer;
        try
        {
            answer = await context.Service.RetryFailedAsync(Guid.Parse(compose.Id), cancellationToken).ConfigureAwait(false);
        }
        catch (ServiceException e) when (e.ErrorId == ServiceException.NothingToRetry)
        {
            throw new CliException(ExitCodes.ServiceError, $"compose {compose.Id} ({compose.Title}) was not retried: {e.Explanation}");
        }

        if (context.Json)
        {
            await WriteJsonAsync(answer).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        await Console.Out.WriteLineAsync($"{Json.Number(answer["images_reset"]) ?? 0} image(s) reset; the compose builds them again").ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
