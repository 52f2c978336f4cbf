using System.CommandLine;
using KojiComposer.Cli.Service;

namespace KojiComposer.Cli.Commands.Compose;

/// <summary>
/// <c>kojicomposer compose cancel ID|TASK</c>: asks the service to cancel a compose (its running images stop, the
/// build reservation is refunded as canceled). The Koji task the compose serves then fails (our task intake fails
/// it with "canceled on KojiComposer"; the stock builder plugin sees the compose fail). Already finished: exit 8 with the service's reason. Needs the operator
/// role.
/// </summary>
internal sealed class ComposeCancelCommand : ComposeReferenceCommand
{
    public ComposeCancelCommand(CliConsole console)
        : base(console, "cancel", "Cancel a compose: its images stop and its Koji build reservation is refunded")
    {
    }

    protected override async Task<int> ExecuteAsync(CommandContext context, ParseResult parse, CancellationToken cancellationToken)
    {
        var compose = await ResolveAsync(context, parse, cancellationToken).ConfigureAwait(false);
        System.Text.Json.Nodes.JsonObject answer;
        try
        {
            answer = await context.Service.CancelAsync(Guid.Parse(compose.Id), cancellationToken).ConfigureAwait(false);
        }
        catch (ServiceException e) when (e.ErrorId == ServiceException.ComposeAlreadyFinished)
        {
            var ended = compose.IsFinal ? $" (it ended: {compose.State})" : "";
            throw new CliException(ExitCodes.ServiceError, $"compose {compose.Id} ({compose.Title}) was not canceled: {e.Explanation}{ended}");
        }

        if (context.Json)
        {
            await WriteJsonAsync(answer).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        await Console.Out.WriteLineAsync($"Cancel requested for compose {compose.Id} ({compose.Title})").ConfigureAwait(false);
        if (compose.TaskId is { } task && !context.Quiet)
        {
            await Console.Out.WriteLineAsync($"Koji task {task} will fail: the compose it waits for is canceled").ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }
}
