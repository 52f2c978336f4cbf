using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.HubBridge.Sessions;

/// <summary>
/// The builder-host API (koji-wire.md §9), on an exclusive session of a host principal. Committing writes carry
/// their "did it already happen?" check for the RetryError case (koji-wire.md §5).
/// </summary>
public sealed partial class KojiSession
{
    private long? _hostId;

    private static KojiKeywordArguments Keywords(params ReadOnlySpan<(string Name, object? Value)> values) => KojiKeywordArguments.Of(values);

    /// <summary>host.getID (cached).</summary>
    public async Task<long> GetHostIdAsync(CancellationToken cancellationToken = default) =>
        _hostId ??= Values.Long(await ReadAsync("host.getID", cancellationToken).ConfigureAwait(false), "host.getID");

    /// <summary>
    /// host.updateHost(task_load, ready, data={methods, maxjobs}): the heartbeat the hub's ReadyTimeout and
    /// HostTimeout watch. Whitelisted for call-number retry, so it is re-sent freely.
    /// </summary>
    public Task UpdateHostAsync(double taskLoad, bool ready, IReadOnlyList<string>? methods = null, int? maxJobs = null, CancellationToken cancellationToken = default)
    {
        var data = new XmlRpcStruct();
        if (methods is not null)
        {
            data["methods"] = methods;
        }

        if (maxJobs is { } jobs)
        {
            data["maxjobs"] = jobs; // absent: the hub's MaxJobs (15)
        }

        object?[] args = data.Count == 0 ? [taskLoad, ready] : [taskLoad, ready, Keywords(("data", data))];
        return CallAsync(KojiCall.RepeatableWrite("host.updateHost", args), cancellationToken);
    }

    /// <summary>host.getTasks: tasks ASSIGNED to us, by priority then age.</summary>
    public async Task<IReadOnlyList<KojiAssignedTask>> GetAssignedTasksAsync(CancellationToken cancellationToken = default) =>
        Values.Array(await ReadAsync("host.getTasks", cancellationToken).ConfigureAwait(false), "host.getTasks").Select(KojiAssignedTask.From).ToArray();

    /// <summary>host.getHostTasks: our OPEN tasks.</summary>
    public async Task<IReadOnlyList<KojiHostTask>> GetHostTasksAsync(CancellationToken cancellationToken = default) =>
        Values.Array(await ReadAsync("host.getHostTasks", cancellationToken).ConfigureAwait(false), "host.getHostTasks").Select(KojiHostTask.From).ToArray();

    /// <summary>host.openTask(id): the task, OPEN and ours, or null when it could not be opened (cancelled, reassigned).</summary>
    public async Task<KojiTaskInfo?> OpenTaskAsync(long taskId, CancellationToken cancellationToken = default)
    {
        var call = KojiCall.Write("host.openTask", taskId) with
        {
            IfAlreadyCommitted = async ct =>
            {
                // getTaskInfo has the decoded request (Request), not openTask's methodCall XML (RequestXml).
                var info = await GetTaskInfoAsync(taskId, request: true, ct).ConfigureAwait(false);
                var host = await GetHostIdAsync(ct).ConfigureAwait(false);
                return info is { State: KojiTaskState.Open } && info.HostId == host ? info.Raw : null;
            },
        };
        var reply = await CallAsync(call, cancellationToken).ConfigureAwait(false);
        return reply is null ? null : KojiTaskInfo.From(reply, "host.openTask");
    }

    /// <summary>host.refuseTask(id, soft, msg): give an assigned (or, soft, an opened) task back.</summary>
    public Task RefuseTaskAsync(long taskId, bool soft, string message, CancellationToken cancellationToken = default) =>
        CallAsync(KojiCall.Write("host.refuseTask", taskId, soft, message) with { IfAlreadyCommitted = _ => Task.FromResult<object?>(null) }, cancellationToken);

    /// <summary>host.setTaskWeight(id, weight).</summary>
    public Task SetTaskWeightAsync(long taskId, double weight, CancellationToken cancellationToken = default) =>
        CallAsync(KojiCall.Write("host.setTaskWeight", taskId, weight) with { IfAlreadyCommitted = _ => Task.FromResult<object?>(null) }, cancellationToken);

    /// <summary>
    /// host.closeTask(id, result): the result travels as a string holding a whole methodResponse document
    /// (koji-wire.md §9.5), so getTaskResult returns it.
    /// </summary>
    public Task CloseTaskAsync(long taskId, object? result, CancellationToken cancellationToken = default) =>
        CallAsync(KojiCall.Write("host.closeTask", taskId, XmlRpcWriter.MethodResponseDocument(result)) with
        {
            IfAlreadyCommitted = ct => ExpectTaskStateAsync(taskId, KojiTaskState.Closed, "host.closeTask", ct),
        }, cancellationToken);

    /// <summary>host.failTask(id, fault): the fault as a methodResponse document; getTaskResult re-raises it.</summary>
    public Task FailTaskAsync(long taskId, int faultCode, string faultString, CancellationToken cancellationToken = default) =>
        CallAsync(KojiCall.Write("host.failTask", taskId, XmlRpcWriter.FaultDocument(faultCode, faultString)) with
        {
            IfAlreadyCommitted = ct => ExpectTaskStateAsync(taskId, KojiTaskState.Failed, "host.failTask", ct),
        }, cancellationToken);

    /// <summary>host.freeTasks([ids]): give open tasks back without failing them (shutdown).</summary>
    public Task FreeTasksAsync(IReadOnlyList<long> taskIds, CancellationToken cancellationToken = default) =>
        // One param, the list: KojiCall.Write takes params object?[], so an id array alone would become the params.
        CallAsync(KojiCall.Write("host.freeTasks", [taskIds.Cast<object?>().ToArray()]) with { IfAlreadyCommitted = _ => Task.FromResult<object?>(null) }, cancellationToken);

    /// <summary>
    /// host.subtask(method=, arglist=, label=, parent=, arch=): all keywords, as kojid sends it. With a label the hub
    /// returns the existing subtask for the same parent and label, so the check after a lost reply is to ask again.
    /// </summary>
    public async Task<long> SubtaskAsync(string method, IReadOnlyList<object?> arglist, long parent, string label, string arch = "noarch", CancellationToken cancellationToken = default)
    {
        var args = Keywords(("method", method), ("arglist", arglist.ToArray()), ("label", label), ("parent", parent), ("arch", arch));
        var call = KojiCall.Write("host.subtask", args);
        call = call with { IfAlreadyCommitted = ct => CallAsync(KojiCall.Write("host.subtask", args), ct) };
        return Values.Long(await CallAsync(call, cancellationToken).ConfigureAwait(false), "host.subtask");
    }

    /// <summary>host.taskSetWait(parent, [ids] or null for all children).</summary>
    public Task TaskSetWaitAsync(long parent, IReadOnlyList<long>? tasks, CancellationToken cancellationToken = default) =>
        CallAsync(KojiCall.RepeatableWrite("host.taskSetWait", parent, tasks?.Cast<object?>().ToArray()), cancellationToken);

    /// <summary>host.taskWait(parent) → (finished, unfinished).</summary>
    public async Task<(IReadOnlyList<long> Finished, IReadOnlyList<long> Unfinished)> TaskWaitAsync(long parent, CancellationToken cancellationToken = default)
    {
        var reply = Values.Array(await CallAsync(KojiCall.RepeatableWrite("host.taskWait", parent), cancellationToken).ConfigureAwait(false), "host.taskWait");
        static long[] Ids(object? list) => Values.Array(list, "host.taskWait").Select(v => Values.Long(v, "host.taskWait id")).ToArray();
        return (Ids(reply.ElementAtOrDefault(0)), Ids(reply.ElementAtOrDefault(1)));
    }

    /// <summary>
    /// host.taskWaitResults(parent, [ids]) → [(id, result)]; a failed subtask raises its fault. Asking again returns
    /// the same results, which is the check after a lost reply.
    /// </summary>
    public async Task<IReadOnlyList<(long Task, object? Result)>> TaskWaitResultsAsync(long parent, IReadOnlyList<long> tasks, CancellationToken cancellationToken = default)
    {
        var args = new object?[] { parent, tasks.Cast<object?>().ToArray() };
        var call = KojiCall.Write("host.taskWaitResults", args);
        call = call with { IfAlreadyCommitted = ct => CallAsync(KojiCall.Write("host.taskWaitResults", args), ct) };
        var reply = Values.Array(await CallAsync(call, cancellationToken).ConfigureAwait(false), "host.taskWaitResults");
        return reply.Select(pair =>
        {
            var p = Values.Array(pair, "host.taskWaitResults entry");
            return (Values.Long(p[0], "host.taskWaitResults id"), p.Length > 1 ? p[1] : null);
        }).ToArray();
    }

    /// <summary>host.tagBuild(task_id, tag, build, force, fromtag): tag as the task owner (the tagBuild handler's call).</summary>
    public Task HostTagBuildAsync(long taskId, long tagId, long buildId, bool force = false, long? fromTag = null, CancellationToken cancellationToken = default) =>
        CallAsync(KojiCall.Write("host.tagBuild", taskId, tagId, buildId, force, fromTag) with { IfAlreadyCommitted = _ => Task.FromResult<object?>(null) }, cancellationToken);

    /// <summary>host.tagNotification(is_successful, tag_id, from_id, build_id, user_id, ignore_success, failure_msg).</summary>
    public Task TagNotificationAsync(bool successful, long tagId, long? fromId, long buildId, long userId, bool ignoreSuccess = true, string? failureMessage = null, CancellationToken cancellationToken = default)
    {
        object?[] args = failureMessage is null
            ? [successful, tagId, fromId, buildId, userId, ignoreSuccess]
            : [successful, tagId, fromId, buildId, userId, ignoreSuccess, failureMessage];
        return CallAsync(KojiCall.Write("host.tagNotification", args) with { IfAlreadyCommitted = _ => Task.FromResult<object?>(null) }, cancellationToken);
    }

    /// <summary>cancelTask(id): cancel a task (owner or admin).</summary>
    public Task CancelTaskAsync(long taskId, CancellationToken cancellationToken = default) =>
        CallAsync(KojiCall.Write("cancelTask", taskId) with
        {
            IfAlreadyCommitted = ct => ExpectTaskStateAsync(taskId, KojiTaskState.Canceled, "cancelTask", ct),
        }, cancellationToken);

    private async Task<object?> ExpectTaskStateAsync(long taskId, KojiTaskState expected, string method, CancellationToken cancellationToken)
    {
        var info = await GetTaskInfoAsync(taskId, request: false, cancellationToken).ConfigureAwait(false);
        if (info?.State == expected)
        {
            return null;
        }

        throw new Transport.KojiProtocolException(
            _http.Describe(method, $"the first attempt's outcome is unclear, and task {taskId} is {info?.State.ToString() ?? "unknown"}, not {expected}"));
    }
}
