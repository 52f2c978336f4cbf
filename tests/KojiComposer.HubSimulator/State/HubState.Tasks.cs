using System.Text;
using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.HubSimulator.State;

/// <summary>Tasks: creation (koji <c>make_task</c>), freeing and cancelling (koji <c>Task</c>).</summary>
public sealed partial class HubState
{
    public Dictionary<long, SimTask> Tasks { get; } = [];

    /// <summary>Tag notifications the hosts reported (<c>host.tagNotification</c>), in order.</summary>
    public List<object?[]> TagNotifications { get; } = [];

    /// <summary>
    /// Creates a FREE task like koji <c>make_task</c>: the request is stored as the methodCall document of the
    /// positional args (<c>dumps(tuple(arglist), methodname=method)</c>); a subtask takes owner, arch, channel
    /// (channel policy <c>is_child_task :: parent</c>, after <c>has req_channel :: req</c>) and priority − 1 from
    /// its parent, which must be OPEN.
    /// </summary>
    public SimTask CreateTask(
        string method, object?[] arglist, DateTimeOffset now, long? owner = null, string? channel = null,
        string? arch = null, long? parent = null, string? label = null, int? priority = null)
    {
        SimTask? parentTask = null;
        if (parent is { } p)
        {
            parentTask = Tasks.GetValueOrDefault(p) ?? throw HubFault.Generic($"Invalid parent task: {p}");
            if (parentTask.State != TaskState.Open)
            {
                throw HubFault.Generic($"Parent task (id {p}) is not open");
            }
        }
        else if (owner is null)
        {
            throw HubFault.Generic("task must have an owner");
        }

        long channelId;
        if (channel is not null)
        {
            channelId = Channels.TryGetValue(channel, out var c) ? c : throw HubFault.Generic($"No such channel: {channel}");
        }
        else
        {
            channelId = parentTask?.ChannelId ?? Channels["default"];
        }

        var task = new SimTask
        {
            Id = Sequence("task"),
            Method = method,
            Request = arglist,
            RequestXml = Encoding.UTF8.GetString(XmlRpcWriter.MethodCallBytes(method, arglist)),
            Owner = owner ?? parentTask!.Owner,
            ChannelId = channelId,
            Arch = arch ?? parentTask?.Arch ?? "noarch",
            Priority = priority ?? (parentTask is null ? 20 : parentTask.Priority - 1),
            Parent = parent,
            Label = parentTask is null ? null : label,
            CreateTime = now,
        };
        Tasks[task.Id] = task;
        return task;
    }

    public IEnumerable<SimTask> Children(long parent) => Tasks.Values.Where(t => t.Parent == parent).OrderBy(t => t.Id);

    public static bool IsFinished(TaskState state) => state is TaskState.Closed or TaskState.Canceled or TaskState.Failed;

    /// <summary>koji <c>Task.free</c>: back to FREE with no host; finished tasks cannot be freed.</summary>
    public void Free(SimTask task)
    {
        if (IsFinished(task.State))
        {
            throw HubFault.Generic($"Cannot free task {task.Id}, state is {task.State.ToString().ToUpperInvariant()}");
        }

        task.State = TaskState.Free;
        task.HostId = null;
        task.AssignedAt = null;
    }

    /// <summary>
    /// koji <c>Task.cancel</c>: CLOSED/FAILED stay (false), CANCELED stays (true); otherwise CANCELED with a completion
    /// time, BUILDING builds linked to the task are cancelled (without cancelling the task again), then, with
    /// <paramref name="recurse"/>, the children.
    /// </summary>
    public bool Cancel(SimTask task, DateTimeOffset now, bool recurse = true)
    {
        if (task.State == TaskState.Canceled)
        {
            return true;
        }

        if (task.State is TaskState.Closed or TaskState.Failed)
        {
            return false;
        }

        task.State = TaskState.Canceled;
        task.CompletionTime = now;
        foreach (var build in Builds.Values.Where(b => b.TaskId == task.Id && b.State == BuildState.Building).ToList())
        {
            CancelBuild(build, now, cancelTask: false);
        }

        if (recurse)
        {
            foreach (var child in Children(task.Id).ToList())
            {
                Cancel(child, now, recurse: true);
            }
        }

        return true;
    }

    /// <summary>koji <c>Task.cancelFull(strict=False)</c>: the whole group, from its top-level task down.</summary>
    public void CancelFull(SimTask task, DateTimeOffset now)
    {
        var top = task;
        while (top.Parent is { } p && Tasks.TryGetValue(p, out var parent))
        {
            top = parent;
        }

        var queue = new Queue<SimTask>([top]);
        while (queue.TryDequeue(out var t))
        {
            Cancel(t, now, recurse: false);
            foreach (var child in Children(t.Id))
            {
                queue.Enqueue(child);
            }
        }
    }

    /// <summary>
    /// koji <c>cancel_build</c>: only a BUILDING build; CANCELED with a completion time, its task group cancelled
    /// (unless <paramref name="cancelTask"/> is false), its CG reservation deleted.
    /// </summary>
    public bool CancelBuild(SimBuild build, DateTimeOffset now, bool cancelTask = true)
    {
        if (build.State != BuildState.Building)
        {
            return false;
        }

        build.State = BuildState.Canceled;
        build.CompletionTime = now;
        if (cancelTask && build.TaskId is { } taskId && Tasks.TryGetValue(taskId, out var task))
        {
            CancelFull(task, now);
        }

        build.ReservationToken = null;
        return true;
    }
}
