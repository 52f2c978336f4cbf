namespace KojiComposer.HubSimulator.State;

/// <summary>Task states (koji.TASK_STATES).</summary>
public enum TaskState
{
    Free = 0,
    Open = 1,
    Closed = 2,
    Canceled = 3,
    Assigned = 4,
    Failed = 5,
}

/// <summary>A task (koji <c>task</c> table).</summary>
public sealed class SimTask
{
    public required long Id { get; init; }

    public required string Method { get; init; }

    /// <summary>The params as decoded (what getTaskInfo(request=True) shows).</summary>
    public required object?[] Request { get; init; }

    /// <summary>The original methodCall XML (what host.openTask returns in <c>request</c>).</summary>
    public required string RequestXml { get; init; }

    public TaskState State { get; set; } = TaskState.Free;

    public long Owner { get; init; }

    public long ChannelId { get; init; }

    public string Arch { get; init; } = "noarch";

    public int Priority { get; init; } = 20;

    public double Weight { get; set; } = 1.0;

    public long? HostId { get; set; }

    public long? Parent { get; init; }

    public string? Label { get; init; }

    public bool Waiting { get; set; }

    public bool? Awaited { get; set; }

    public DateTimeOffset CreateTime { get; init; }

    public DateTimeOffset? StartTime { get; set; }

    public DateTimeOffset? CompletionTime { get; set; }

    /// <summary>The methodResponse document stored by host.closeTask / host.failTask.</summary>
    public string? Result { get; set; }

    /// <summary>Hosts that refused this task (kept away from it).</summary>
    public HashSet<long> RefusedBy { get; } = [];
}
