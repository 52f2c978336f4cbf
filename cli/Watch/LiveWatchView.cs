using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace KojiComposer.Cli.Watch;

/// <summary>
/// The terminal view: a Spectre.Console live display with a header (N-V-R, compose, Koji task, overall state) and
/// one progress bar per image (arch, image type, state, done/total of osbuild's counter, the stage running),
/// redrawn when something changed; the last frame stays, and the summary is printed under it.
/// </summary>
internal sealed class LiveWatchView(IAnsiConsole console, bool watchingTask) : IWatchView
{
    private const int BarWidth = 30;
    private const int Indent = 2;
    private const int Gap = 2;

    public async Task<WatchState> RunAsync(Func<Action<WatchState>, Task<WatchState>> loop)
    {
        return await console.Live(new Text("")).AutoClear(false).Overflow(VerticalOverflow.Ellipsis).StartAsync(async context =>
        {
            string? shown = null;
            return await loop(state =>
            {
                // Only a change is drawn again (a redraw of the same frame would only flicker).
                var signature = Signature(state);
                if (!string.Equals(signature, shown, StringComparison.Ordinal))
                {
                    shown = signature;
                    context.UpdateTarget(Render(state)); // draws it
                }
            }).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    public void Finish(WatchState state, string result)
    {
        console.MarkupLine($"[bold]{Markup.Escape(state.Title)}[/]: [{Tint(result)}]{Markup.Escape(result)}[/]{Markup.Escape(WatchText.SummaryIds(state))}");
        // Indented, wrapped lines included (a task's fault can be long).
        var details = new Grid().AddColumn(new GridColumn().Padding(2, 0, 0, 0));
        foreach (var (text, status) in WatchText.SummaryDetails(state))
        {
            details.AddRow(new Markup(status is null ? Markup.Escape(text) : $"[{Tint(status)}]{Markup.Escape(text)}[/]"));
        }

        console.Write(details);
    }

    private string Signature(WatchState state) =>
        string.Join('\n', [Header(state), WatchText.Overall(state, watchingTask), state.Notice ?? "", .. state.Images.Select(i => $"{WatchText.ImageLine(i)} {i.Error}")]);

    private static string Header(WatchState state)
    {
        var parts = new List<string> { state.Title };
        if (state.ComposeId is { } compose)
        {
            parts.Add($"compose {compose.ToString()[..8]}");
        }

        if (state.TaskId is { } task && state.Nvr is not null)
        {
            parts.Add($"koji task {task.ToString(CultureInfo.InvariantCulture)}");
        }

        if (state.BuildId is { } build)
        {
            parts.Add($"koji build {build.ToString(CultureInfo.InvariantCulture)}");
        }

        return string.Join(" · ", parts);
    }

    private IRenderable Render(WatchState state)
    {
        var overall = WatchText.Overall(state, watchingTask);
        var title = Cut(Header(state), console.Profile.Width - overall.Length - 4);
        IRenderable header = new Markup($"[bold]{Markup.Escape(title)}[/] · [{Tint(overall)}]{Markup.Escape(overall)}[/]");
        if (state.Notice is { } notice)
        {
            // One line, like every other: a live display never shrinks, so a wrapped line would leave a blank one.
            header = new Rows(header, new Markup($"  [yellow]{Markup.Escape(Cut(notice, console.Profile.Width - 3))}[/]"));
        }

        if (state.Images.Count == 0)
        {
            var waiting = state.ComposeStatus is null ? "waiting for a KojiComposer builder to take the task" : "waiting for the compose's images";
            return new Rows(header, new Markup($"  [grey]{waiting}[/]"));
        }

        // One line per image, whatever the width: the detail is cut to what is left (a wrapped row would leave
        // blank lines under the last frame, as a live display never shrinks).
        var counts = state.Images.Select(Count).ToList();
        int[] widths =
        [
            state.Images.Max(i => i.Arch.Length), state.Images.Max(i => i.ImageType.Length), state.Images.Max(i => i.Status.Length),
            BarWidth, counts.Max(c => c.Length),
        ];
        var room = Math.Max(0, console.Profile.Width - Indent - widths.Sum(w => w + Gap) - 1);
        var grid = new Grid();
        grid.AddColumn(new GridColumn().NoWrap().Padding(Indent, 0, Gap, 0));
        grid.AddColumn(new GridColumn().NoWrap().Padding(0, 0, Gap, 0));
        grid.AddColumn(new GridColumn().NoWrap().Padding(0, 0, Gap, 0));
        grid.AddColumn(new GridColumn().NoWrap().Padding(0, 0, Gap, 0));
        grid.AddColumn(new GridColumn().NoWrap().Padding(0, 0, Gap, 0).RightAligned());
        grid.AddColumn(new GridColumn().NoWrap().Padding(0, 0, 0, 0));
        for (var i = 0; i < state.Images.Count; i++)
        {
            var image = state.Images[i];
            grid.AddRow(
                new Text(image.Arch),
                new Text(image.ImageType),
                new Markup($"[{Tint(image.Status)}]{Markup.Escape(image.Status)}[/]"),
                Bar(image),
                new Text(counts[i]),
                new Text(Cut(Detail(image), room)));
        }

        return new Rows(header, grid);
    }

    /// <summary>Spectre's own progress bar, as its Progress display draws it: osbuild's outer counter, with the
    /// nested one as the fraction of the current unit; full once the image ended, green when it was built, red
    /// when it failed.</summary>
    private IRenderable Bar(WatchImage image)
    {
        var progress = image.Progress;
        var total = progress is { Total: > 0 } p ? p.Total : 1;
        var value = image.Final ? total
            : progress is null ? 0
            : Math.Min(total, progress.Done + (progress.SubTotal is > 0 && progress.SubDone is { } sub ? (double)sub / progress.SubTotal.Value : 0));
        var task = new ProgressTask(0, image.Label, total, autoStart: false) { Value = value };
        var finished = image.Status switch
        {
            "failure" => Color.Red,
            "canceled" => Color.Yellow,
            _ => Color.Green,
        };
        var column = new ProgressBarColumn { Width = BarWidth, CompletedStyle = Color.Yellow, FinishedStyle = finished };
        return column.Render(RenderOptions.Create(console), task, TimeSpan.Zero);
    }

    /// <summary>osbuild's counter while it builds.</summary>
    private static string Count(WatchImage image) =>
        image.Progress is { Total: > 0 } progress && image.Status is "building" or "uploading"
            ? $"{progress.Done.ToString(CultureInfo.InvariantCulture)}/{progress.Total.ToString(CultureInfo.InvariantCulture)}"
            : "";

    private static string Detail(WatchImage image) =>
        image.Error is { } error ? error.ToString()
        : image.Status is "building" or "uploading" ? image.Progress?.Stage ?? ""
        : "";

    private static string Cut(string text, int room) =>
        text.Length <= room ? text : room <= 1 ? "" : text[..(room - 1)] + "…";

    private static string Tint(string status) => status.Split(',')[0] switch
    {
        "success" => "green",
        "failure" => "red",
        "canceled" => "yellow",
        "building" or "uploading" or "running" or "finalizing" or "open" => "blue",
        _ => "grey",
    };
}
