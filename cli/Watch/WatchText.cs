using System.Globalization;
using KojiComposer.HubBridge.Calls;

namespace KojiComposer.Cli.Watch;

/// <summary>The words both views use: image lines, the header, the summary (koji's watcher words for task
/// states, lower case).</summary>
internal static class WatchText
{
    /// <summary><c>free</c>, <c>open</c>, <c>closed</c>, <c>canceled</c>, <c>assigned</c>, <c>failed</c>.</summary>
    public static string Word(KojiTaskState state) => state.ToString().ToLowerInvariant();

    /// <summary><c>building 3/9 pipeline: os (org.osbuild.rpm)</c> while it builds, else the status word.</summary>
    public static string Activity(WatchImage image)
    {
        if (image.Status is not "building" || image.Progress is not { } progress)
        {
            return image.Status;
        }

        var text = image.Status;
        if (progress.Total > 0)
        {
            text += $" {progress.Done.ToString(CultureInfo.InvariantCulture)}/{progress.Total.ToString(CultureInfo.InvariantCulture)}";
        }

        return progress.Stage is { Length: > 0 } stage ? $"{text} {stage}" : text;
    }

    /// <summary><c>x86_64 guest-image: building 3/9 org.osbuild.rpm</c>.</summary>
    public static string ImageLine(WatchImage image) => $"{image.Label}: {Activity(image)}";

    /// <summary><c>Watching Fedora-Cloud-42-1 (compose 3f2a…, koji task 5)</c>.</summary>
    public static string Header(WatchState state)
    {
        var parts = new List<string>();
        if (state.ComposeId is { } compose)
        {
            parts.Add($"compose {compose}");
        }

        if (state.TaskId is { } task && state.Nvr is not null)
        {
            parts.Add($"koji task {task.ToString(CultureInfo.InvariantCulture)}");
        }

        if (state.FromHub)
        {
            parts.Add("read from the hub");
        }

        return parts.Count == 0 ? $"Watching {state.Title}" : $"Watching {state.Title} ({string.Join(", ", parts)})";
    }

    /// <summary>What it is doing now, for the live header: the outcome once there is one, else the compose's state,
    /// else the task's.</summary>
    public static string Overall(WatchState state, bool watchingTask)
    {
        if (state.Result(watchingTask) is { } result)
        {
            return result;
        }

        if (state.ComposeStatus is { } status)
        {
            return state.ComposeFinal && state.TaskState is { } task ? $"{status}, koji task {Word(task)}" : status;
        }

        return state.TaskState is { } only ? Word(only) : "pending";
    }

    /// <summary>The first summary line: <c>Fedora-Cloud-42-1: success (koji build 1, task 5)</c>.</summary>
    public static string SummaryTitle(WatchState state, string result) => $"{state.Title}: {result}{SummaryIds(state)}";

    /// <summary>The first summary line's tail: <c> (koji build 1, task 5)</c>, or nothing.</summary>
    public static string SummaryIds(WatchState state)
    {
        var parts = new List<string>();
        if (state.BuildId is { } build)
        {
            parts.Add($"koji build {build.ToString(CultureInfo.InvariantCulture)}");
        }

        if (state.TaskId is { } task && state.Nvr is not null)
        {
            parts.Add($"task {task.ToString(CultureInfo.InvariantCulture)}");
        }

        return parts.Count == 0 ? "" : $" ({string.Join(", ", parts)})";
    }

    /// <summary>The lines under it, indented by two: each image's result (with its error), the compose steps'
    /// errors, what Koji says of a failed or canceled task.</summary>
    public static IEnumerable<(string Text, string? Result)> SummaryDetails(WatchState state)
    {
        foreach (var image in state.Images)
        {
            yield return (image.Error is { } error ? $"{image.Label}: {image.Status}: {error}" : $"{image.Label}: {image.Status}", image.Status);
        }

        foreach (var step in state.StepErrors)
        {
            yield return ($"{step.Step}: {step.Error}", "failure");
        }

        if (state.TaskId is { } task)
        {
            var id = task.ToString(CultureInfo.InvariantCulture);
            if (state.TaskState == KojiTaskState.Failed)
            {
                yield return (state.TaskFault is { } fault ? $"koji task {id}: FAILED: {fault}" : $"koji task {id}: FAILED", "failure");
            }
            else if (state.TaskState == KojiTaskState.Canceled)
            {
                yield return ($"koji task {id}: canceled", "canceled");
            }
        }
    }
}
