using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Spectre.Console;

namespace KojiComposer.Cli.Commands.Compose;

/// <summary>
/// <c>kojicomposer compose list</c>: the service's composes, newest first (<c>GET /composes/</c> with its filters).
/// Text: one row per compose (id, state, NVR, Koji task, images built/total, created), plain columns separated by
/// two spaces when stdout is not a terminal (stable for scripts), a table on a terminal; a <c>N of TOTAL</c> line
/// when there are more pages. JSON: the API's <c>ComposeList</c> as it is.
/// </summary>
internal sealed partial class ComposeListCommand : BaseCommand
{
    private static readonly string[] States = ["pending", "running", "finalizing", "success", "failure", "canceled"];

    private readonly Option<string?> _state = new("--state") { Description = "Only composes in this state: " + string.Join(", ", States) };

    private readonly Option<string?> _nvr = new("--nvr") { Description = "Only composes whose NVR contains TEXT" };

    private readonly Option<long?> _task = new("--task") { Description = "Only composes serving this Koji task" };

    private readonly Option<string?> _age = new("--age") { Description = "Only composes created within this long: a number and s, m, h or d (30m, 6h, 7d)" };

    private readonly Option<string?> _createdAfter = new("--created-after") { Description = "Only composes created after this time (ISO 8601, e.g. 2026-12-01 or 2026-12-01T08:00Z)" };

    private readonly Option<int?> _limit = new("--limit") { Description = "At most this many composes (1-1000; the service's default is 50)" };

    private readonly Option<int?> _offset = new("--offset") { Description = "Skip this many of the newest first (for the next page)" };

    public ComposeListCommand(CliConsole console)
        : base(console, "list", "List the service's composes, newest first")
    {
        Name = "compose list";
        _state.AcceptOnlyFromAmong(States);
        Add(_state, _nvr, _task, _age, _createdAfter, _limit, _offset);
    }

    protected override async Task<int> ExecuteAsync(CommandContext context, ParseResult parse, CancellationToken cancellationToken)
    {
        var filters = Filters(parse);
        var list = await context.Service.ListComposesAsync(filters, cancellationToken).ConfigureAwait(false);
        if (context.Json)
        {
            await Console.Out.WriteLineAsync(list.ToJsonString(Json.Output)).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        var composes = (list["items"] as JsonArray ?? []).OfType<JsonObject>().Select(c => new ComposeView(c)).ToList();
        var total = Json.Number(list["total"]) ?? composes.Count;
        var offset = Json.Number(list["offset"]) ?? 0;
        if (composes.Count == 0)
        {
            if (!context.Quiet)
            {
                var filtered = filters.Any(f => f.Value is not null && f.Key != "offset" && f.Key != "limit");
                await Console.Out.WriteLineAsync(offset > 0 && total > 0 ? $"No composes after the first {offset} (there are {total})." : filtered ? "No composes match." : "No composes.").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }

        var rows = composes.Select(Row).ToList();
        if (Console.IsOutputTerminal && !context.Quiet)
        {
            WriteTable(rows);
        }
        else
        {
            await WriteLinesAsync(PlainTable.Lines(context.Quiet ? null : Headers, rows)).ConfigureAwait(false);
        }

        if (!context.Quiet && (offset > 0 || offset + composes.Count < total))
        {
            var range = $"{offset + 1}-{offset + composes.Count}";
            var more = offset + composes.Count < total ? $"; the next page: --offset {offset + composes.Count}" : "";
            await Console.Out.WriteLineAsync($"{composes.Count} of {total} composes ({range}){more}").ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    private static readonly string[] Headers = ["COMPOSE", "STATE", "NVR", "TASK", "IMAGES", "CREATED"];

    private static string[] Row(ComposeView compose)
    {
        var images = compose.Images;
        var built = images.Count(i => i.State == "success");
        return
        [
            compose.Id,
            compose.StateText,
            compose.Nvr ?? "-",
            compose.TaskId?.ToString(CultureInfo.InvariantCulture) ?? "-",
            $"{built}/{images.Count}",
            Json.Show(compose.CreatedAt),
        ];
    }

    private Dictionary<string, string?> Filters(ParseResult parse)
    {
        var age = parse.GetValue(_age);
        if (age is not null && !AgePattern().IsMatch(age))
        {
            throw new CliException(ExitCodes.Usage, $"--age: \"{age}\" is not an age: give a number and s, m, h or d, e.g. 30m, 6h or 7d");
        }

        var after = parse.GetValue(_createdAfter);
        string? afterIso = null;
        if (after is not null)
        {
            if (!DateTimeOffset.TryParse(after, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            {
                throw new CliException(ExitCodes.Usage, $"--created-after: \"{after}\" is not a time: give ISO 8601, e.g. 2026-12-01 or 2026-12-01T08:00Z");
            }

            afterIso = time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }

        var limit = parse.GetValue(_limit);
        if (limit is < 1 or > 1000)
        {
            throw new CliException(ExitCodes.Usage, $"--limit: must be from 1 to 1000, got {limit}");
        }

        var offset = parse.GetValue(_offset);
        if (offset is < 0)
        {
            throw new CliException(ExitCodes.Usage, $"--offset: must be 0 or more, got {offset}");
        }

        var task = parse.GetValue(_task);
        if (task is < 0)
        {
            throw new CliException(ExitCodes.Usage, $"--task: must be a Koji task id, got {task}");
        }

        return new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["state"] = parse.GetValue(_state),
            ["nvr"] = parse.GetValue(_nvr),
            ["task_id"] = task?.ToString(CultureInfo.InvariantCulture),
            ["age"] = age,
            ["created_after"] = afterIso,
            ["limit"] = limit?.ToString(CultureInfo.InvariantCulture),
            ["offset"] = offset?.ToString(CultureInfo.InvariantCulture),
        };
    }

    private async Task WriteLinesAsync(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            await Console.Out.WriteLineAsync(line).ConfigureAwait(false);
        }
    }

    private void WriteTable(List<string[]> rows)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = Console.Width();
        var table = new Table().Border(TableBorder.Rounded);
        // The id, state and counts never wrap (an id split over two lines cannot be copied); NVR and time may.
        foreach (var header in Headers)
        {
            var column = new TableColumn(header);
            table.AddColumn(header is "NVR" or "CREATED" ? column : column.NoWrap());
        }

        foreach (var row in rows)
        {
            table.AddRow(row.Select(Spectre.Console.Rendering.IRenderable (cell, i) => i == 1 ? StateMarkup(cell) : new Text(cell)).ToArray());
        }

        console.Write(table);
    }

    private static Markup StateMarkup(string state)
    {
        var color = state switch
        {
            "success" => "green",
            "failure" => "red",
            "canceled" or "canceling" => "yellow",
            _ => "blue",
        };
        return new Markup($"[{color}]{Markup.Escape(state)}[/]");
    }

    [GeneratedRegex(@"^\d+(\.\d+)?[smhd]$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AgePattern();
}
