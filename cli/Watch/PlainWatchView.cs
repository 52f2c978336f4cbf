using System.Globalization;

namespace KojiComposer.Cli.Watch;

/// <summary>
/// Plain lines for logs and pipes, each printed only when what it says changed: the task's state until it ends,
/// a <c>Watching …</c> header once the compose is known, the compose's state, each image's
/// (<c>x86_64 guest-image: building 3/9 org.osbuild.rpm</c>); then the summary. Quiet: the summary only.
/// </summary>
internal sealed class PlainWatchView(TextWriter output, bool quiet, bool watchingTask) : IWatchView
{
    private readonly Dictionary<int, string> _images = [];
    private string? _task;
    private string? _status;
    private bool _header;

    public Task<WatchState> RunAsync(Func<Action<WatchState>, Task<WatchState>> loop) => loop(Update);

    private void Update(WatchState state)
    {
        if (quiet)
        {
            return;
        }

        if (watchingTask && state.TaskState is { } task && !state.TaskFinal && Changed(ref _task, WatchText.Word(task)))
        {
            output.WriteLine($"koji task {state.TaskId?.ToString(CultureInfo.InvariantCulture)}: {_task}");
        }

        if (state.ComposeStatus is not { } status)
        {
            return;
        }

        if (!_header)
        {
            _header = true;
            output.WriteLine(WatchText.Header(state));
        }

        // The end itself is the summary's first line; a compose that ended before its task did (tagging) is news.
        var ended = state.ComposeFinal && (!watchingTask || state.TaskState is null || state.TaskFinal);
        if (!ended && Changed(ref _status, status))
        {
            output.WriteLine($"{state.Title}: {status}");
        }

        for (var i = 0; i < state.Images.Count; i++)
        {
            var line = WatchText.ImageLine(state.Images[i]);
            if (!_images.TryGetValue(i, out var last) || !string.Equals(last, line, StringComparison.Ordinal))
            {
                _images[i] = line;
                output.WriteLine(line);
            }
        }
    }

    public void Finish(WatchState state, string result)
    {
        output.WriteLine(WatchText.SummaryTitle(state, result));
        foreach (var (text, _) in WatchText.SummaryDetails(state))
        {
            output.WriteLine("  " + text);
        }
    }

    private static bool Changed(ref string? last, string now)
    {
        if (string.Equals(last, now, StringComparison.Ordinal))
        {
            return false;
        }

        last = now;
        return true;
    }
}
