using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubSimulator.Handlers;

/// <summary>
/// host.closeTask / host.failTask (koji-wire.md §9.5; kojihub <c>Task._close</c>): the response argument is stored
/// as text holding a methodResponse document (or base64 of one). closeTask reads it back at once (the post-change
/// callback does, for CLOSED), so a result that is not such a document, or is a fault document, fails the call and
/// the task stays OPEN. failTask stores whatever it gets. Both need the task OPEN and this host's.
/// </summary>
internal static class HostResultHandlers
{
    public static void Register(HubSimulator hub)
    {
        hub.Dispatcher.Register("host.closeTask", call => Finish(call, TaskState.Closed));
        hub.Dispatcher.Register("host.failTask", call => Finish(call, TaskState.Failed));
    }

    private static object? Finish(CallContext call, TaskState state)
    {
        var args = call.Bind("task_id", "response");
        var host = call.RequireHost();
        var task = HostHandlers.OwnedOpenTask(call, host, args.Long("task_id"));
        var stored = TaskResults.Storable(args["response"]);
        if (state == TaskState.Closed)
        {
            var (_, fault) = TaskResults.Parse(stored);
            if (fault is not null)
            {
                throw new HubFault(fault.Code, fault.Message);
            }
        }

        task.Result = stored;
        task.State = state;
        task.CompletionTime = call.Now;
        call.Commit();
        return null;
    }
}
