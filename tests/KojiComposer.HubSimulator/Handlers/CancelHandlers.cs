namespace KojiComposer.HubSimulator.Handlers;

/// <summary>
/// cancelTask and cancelBuild (koji-wire.md §10, cg-import.md §2, §5; kojihub <c>cancelTask</c>, <c>Task.cancel</c>,
/// <c>cancelBuild</c>, <c>cancel_build</c>): a cancelled task takes its BUILDING builds with it, and a cancelled
/// build takes its task group.
/// </summary>
internal static class CancelHandlers
{
    public static void Register(HubSimulator hub)
    {
        hub.Dispatcher.Register("cancelTask", CancelTask);
        hub.Dispatcher.Register("cancelBuild", CancelBuild);
    }

    /// <summary>
    /// cancelTask(task_id, recurse=True): by the owner, the host running it, or an admin (else ActionNotAllowed
    /// <c>Cannot cancel task, not owner</c>); FREE/ASSIGNED/OPEN → CANCELED with the children.
    /// </summary>
    private static object? CancelTask(CallContext call)
    {
        var args = call.Bind("task_id", "recurse?");
        var id = args.Long("task_id");
        var user = call.User;
        var task = call.State.Tasks.GetValueOrDefault(id);
        if (user is not null && task is null)
        {
            throw HubFault.Generic($"No such task: {id}");
        }

        var host = user is null ? null : call.State.HostOfUser(user.Id);
        var owner = task is not null && task.Owner == user?.Id;
        var running = task is not null && host is not null && task.HostId == host.Id && task.State == State.TaskState.Open;
        if (!owner && !running && !call.HasPerm("admin"))
        {
            throw HubFault.NotAllowed("Cannot cancel task, not owner");
        }

        call.State.Cancel(task!, call.Now, recurse: args.Bool("recurse", fallback: true));
        call.Commit();
        return null;
    }

    /// <summary>
    /// cancelBuild(buildID, strict=False): owner or admin (else <c>Cannot cancel build, not owner</c>); a BUILDING
    /// build → true (CANCELED, reservation deleted, its task cancelled); anything else, or unknown → false.
    /// </summary>
    private static object? CancelBuild(CallContext call)
    {
        var args = call.Bind("buildID", "strict?");
        var user = call.RequireLogin();
        var build = call.State.FindBuild(args["buildID"], args.Bool("strict"));
        if (build is null)
        {
            return false;
        }

        if (build.OwnerId != user.Id && !call.HasPerm("admin"))
        {
            throw HubFault.NotAllowed("Cannot cancel build, not owner");
        }

        var cancelled = call.State.CancelBuild(build, call.Now);
        if (cancelled)
        {
            call.Commit();
        }

        return cancelled;
    }
}
