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

    /// <summary>Null until host.taskSetWait / taskUnwait set it (the column has no default).</summary>
    public bool? Waiting { get; set; }

    public bool? Awaited { get; set; }

    public DateTimeOffset CreateTime { get; init; }

    public DateTimeOffset? StartTime { get; set; }

    public DateTimeOffset? CompletionTime { get; set; }

    /// <summary>The methodResponse document stored by host.closeTask / host.failTask.</summary>
    public string? Result { get; set; }

    /// <summary>
    /// When the scheduler assigned the task (the active <c>scheduler_task_runs</c> entry); null when the task was not
    /// assigned by a scheduler run. AssignTimeout counts from here.
    /// </summary>
    public DateTimeOffset? AssignedAt { get; set; }

    /// <summary>Hosts that refused this task, kept away from it (koji <c>scheduler_task_refusals</c>).</summary>
    public Dictionary<long, SimRefusal> Refusals { get; } = [];
}

/// <summary>One host's refusal of a task; soft ones expire after SoftRefusalTimeout.</summary>
public sealed record SimRefusal(bool Soft, bool ByHost, string Message, DateTimeOffset At);
