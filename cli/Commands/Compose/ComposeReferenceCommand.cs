using System.CommandLine;
using System.Globalization;
using KojiComposer.Cli.Service;

namespace KojiComposer.Cli.Commands.Compose;

/// <summary>
/// The <c>ID|TASK</c> argument of <c>compose show|logs|manifests|cancel|retry-failed</c>: a compose id (a UUID) or
/// the Koji task id a compose serves (a number; the newest such compose), resolved to the compose's status.
/// </summary>
internal abstract class ComposeReferenceCommand : BaseCommand
{
    private readonly Argument<string> _compose = new("ID|TASK")
    {
        Description = "The compose id (a UUID), or the id of the Koji task the compose serves",
    };

    /// <param name="console">The console.</param>
    /// <param name="subcommand">The name under <c>compose</c> (<c>show</c>).</param>
    /// <param name="description">What it does, for help.</param>
    protected ComposeReferenceCommand(CliConsole console, string subcommand, string description)
        : base(console, subcommand, description)
    {
        Name = "compose " + subcommand;
        Command.Arguments.Add(_compose);
    }

    /// <summary>The compose the argument names, read from the service.</summary>
    /// <exception cref="CliException">Not a UUID or a number (usage), or no such compose (not found).</exception>
    protected async Task<ComposeView> ResolveAsync(CommandContext context, ParseResult parse, CancellationToken cancellationToken)
    {
        var text = parse.GetValue(_compose)!.Trim();
        long? taskId = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
        Guid id = default;
        if (taskId is null && !Guid.TryParse(text, out id))
        {
            throw new CliException(ExitCodes.Usage, $"\"{text}\" is neither a compose id (a UUID like 0192f5e4-8a1c-7b3d-9e2f-4a5b6c7d8e9f) nor a Koji task id (a number)");
        }

        var service = context.Service;
        if (taskId is { } task)
        {
            var found = await service.FindComposeForTaskAsync(task, cancellationToken).ConfigureAwait(false)
                ?? throw new CliException(ExitCodes.NotFound, $"no compose serves Koji task {task} on the service {service.DisplayUrl} (is it an osbuildImage task this service took? kojicomposer compose list shows what it has)");
            return new ComposeView(found);
        }

        try
        {
            return new ComposeView(await service.GetComposeAsync(id, cancellationToken).ConfigureAwait(false));
        }
        catch (ServiceException e) when (e.NotFound)
        {
            throw new CliException(ExitCodes.NotFound, $"no compose {id} on the service {service.DisplayUrl} (kojicomposer compose list shows what it has)");
        }
    }

    /// <summary>Writes the API's object on stdout, as <c>--format json</c> promises.</summary>
    protected Task WriteJsonAsync(System.Text.Json.Nodes.JsonNode node) => Console.Out.WriteLineAsync(node.ToJsonString(Json.Output));

    /// <summary>Writes lines on <paramref name="writer"/>.</summary>
    protected static async Task WriteLinesAsync(TextWriter writer, IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            await writer.WriteLineAsync(line).ConfigureAwait(false);
        }
    }
}
