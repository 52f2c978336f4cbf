using System.Globalization;
using static KojiComposer.Cli.Commands.BaseCommand;

namespace KojiComposer.Cli.Watch;

/// <summary>What <c>kojicomposer watch</c> follows: a Koji <c>osbuildImage</c> task (an integer, as koji's
/// watch-task takes) or a compose of the service (its UUID).</summary>
public sealed record WatchTarget
{
    private WatchTarget(long? taskId, Guid? composeId)
    {
        TaskId = taskId;
        ComposeId = composeId;
    }

    /// <summary>The Koji task, when a task is watched.</summary>
    public long? TaskId { get; }

    /// <summary>The compose, when a compose is watched.</summary>
    public Guid? ComposeId { get; }

    /// <summary>A Koji task.</summary>
    public static WatchTarget Task(long taskId) => new(taskId, null);

    /// <summary>A compose of the service.</summary>
    public static WatchTarget Compose(Guid composeId) => new(null, composeId);

    /// <summary>The argument as typed: <c>12345</c> or <c>3f2a…-…</c>.</summary>
    /// <exception cref="CliException">Neither a task id nor a compose id (exit 2).</exception>
    public static WatchTarget Parse(string text)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var task) && task > 0)
        {
            return Task(task);
        }

        if (Guid.TryParseExact(text, "D", out var compose))
        {
            return Compose(compose);
        }

        throw new CliException(ExitCodes.Usage, $"\"{text}\" is neither a Koji task id (a positive integer, e.g. 12345) nor a compose id (a UUID, e.g. 6f1c3e0a-8d3b-4a36-9d8e-2f1b5c7a9e10)");
    }

    /// <summary>How to name it in messages: <c>koji task 12</c> or <c>compose 3f2a…</c>.</summary>
    public override string ToString() =>
        TaskId is { } task ? $"koji task {task.ToString(CultureInfo.InvariantCulture)}" : $"compose {ComposeId}";

    /// <summary>The argument that watches it again.</summary>
    public string Argument => TaskId is { } task ? task.ToString(CultureInfo.InvariantCulture) : ComposeId!.Value.ToString();
}
