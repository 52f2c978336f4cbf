using System.Text.RegularExpressions;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubSimulator.Handlers;

/// <summary>
/// Subtasks and waiting for them (koji-wire.md §9.4, §9.6; kojihub <c>HostExports.subtask</c>, <c>Host.taskSetWait</c>,
/// <c>taskWaitCheck</c>, <c>taskWait</c>, <c>taskWaitResults</c>, <c>taskUnwait</c>).
/// </summary>
internal static partial class SubtaskHandlers
{
    public static void Register(HubSimulator hub)
    {
        var d = hub.Dispatcher;
        d.Register("host.subtask", Subtask);
        d.Register("host.taskSetWait", TaskSetWait);
        d.Register("host.taskWait", TaskWait);
        d.Register("host.taskWaitResults", TaskWaitResults);
        d.Register("host.taskUnwait", TaskUnwait);
    }

    [GeneratedRegex("^[a-zA-Z0-9_-]*$")]
    private static partial Regex ArchPattern();

    /// <summary>
    /// host.subtask(method, arglist, parent, **opts): the parent must be OPEN and ours; <c>owner</c> is refused; a
    /// label already used under the parent returns that subtask; <c>kwargs</c> are appended to the arglist the koji
    /// way; the child is FREE, inherits owner, arch and channel, and gets priority parent − 1 unless given.
    /// </summary>
    private static object? Subtask(CallContext call)
    {
        var args = call.Bind("method", "arglist", "parent", "label?", "arch?", "priority?", "channel?", "kwargs?", "owner?", "assign?");
        var host = call.RequireHost();
        var parent = HostHandlers.OwnedOpenTask(call, host, args.Long("parent"));
        if (args.Has("owner"))
        {
            throw HubFault.NotAllowed("The owner option is not allowed here");
        }

        var label = args.Has("label") ? args["label"] as string ?? throw HubFault.Python("TypeError", "label must be a string") : null;
        if (label is not null && call.State.Children(parent.Id).FirstOrDefault(t => string.Equals(t.Label, label, StringComparison.Ordinal)) is { } existing)
        {
            return existing.Id;
        }

        var method = args.String("method");
        var arglist = args.Array("arglist") ?? throw HubFault.Python("TypeError", $"'{Arguments.Python(args["arglist"])}' object is not iterable");
        if (args.Struct("kwargs") is { Count: > 0 } kwargs)
        {
            var encoded = new XmlRpcStruct(kwargs) { [KojiKeywordArguments.MarkerName] = true };
            arglist = [.. arglist, encoded];
        }

        string? arch = null;
        if (args.Has("arch"))
        {
            var parts = (args.StringOrNull("arch") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Any(p => !ArchPattern().IsMatch(p)))
            {
                throw HubFault.Generic("Architecture can be only [a-zA-Z0-9_-]");
            }

            arch = string.Join(' ', parts);
        }

        var priority = args.LongOrNull("priority");
        var task = call.State.CreateTask(
            method, arglist, call.Now, channel: args.StringOrNull("channel"), arch: arch, parent: parent.Id, label: label,
            priority: priority is { } p ? (int)p : null);
        call.Commit();
        return task.Id;
    }

    /// <summary>
    /// host.taskSetWait(parent, tasks): the parent waits; the listed children (all for null) become awaited, other
    /// awaited children stop being awaited; an empty list only marks the parent.
    /// </summary>
    private static object? TaskSetWait(CallContext call)
    {
        var args = call.Bind("parent", "tasks");
        call.RequireHost();
        var parentId = args.Long("parent");
        var listed = args["tasks"] switch
        {
            null => null,
            object?[] list => list.Select(i => Convert.ToInt64(i, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet(),
            var other => throw HubFault.Generic($"Invalid type for value '{TagReadHandlers.Str(other)}': {Python.PythonRepr.Of(other)}"),
        };
        if (call.State.Tasks.TryGetValue(parentId, out var parent))
        {
            parent.Waiting = true;
        }

        foreach (var child in call.State.Children(parentId))
        {
            if (listed is null)
            {
                child.Awaited = true;
            }
            else if (listed.Count > 0)
            {
                if (listed.Contains(child.Id))
                {
                    child.Awaited = true;
                }
                else if (child.Awaited == true)
                {
                    child.Awaited = false;
                }
            }
        }

        call.Commit();
        return null;
    }

    /// <summary>taskWaitCheck: the awaited children, finished (CLOSED, CANCELED, FAILED) and unfinished.</summary>
    public static (List<long> Finished, List<long> Unfinished) WaitCheck(HubState state, long parent)
    {
        var finished = new List<long>();
        var unfinished = new List<long>();
        foreach (var child in state.Children(parent).Where(t => t.Awaited == true))
        {
            (HubState.IsFinished(child.State) ? finished : unfinished).Add(child.Id);
        }

        return (finished, unfinished);
    }

    /// <summary>host.taskWait(parent) → <c>[[finished], [unfinished]]</c>; finished children stop being awaited.</summary>
    private static object? TaskWait(CallContext call)
    {
        var args = call.Bind("parent");
        call.RequireHost();
        var (finished, unfinished) = WaitCheck(call.State, args.Long("parent"));
        finished.Sort();
        foreach (var id in finished)
        {
            call.State.Tasks[id].Awaited = false;
            call.Commit();
        }

        return new object?[] { finished.Cast<object?>().ToArray(), unfinished.Cast<object?>().ToArray() };
    }

    /// <summary>
    /// host.taskWaitResults(parent, tasks, canfail=None) → <c>[[id, result], …]</c> (tasks null: every finished
    /// child) and the parent stops waiting. A child not in <c>canfail</c> whose result is a fault raises that fault,
    /// and so does an unfinished or cancelled one (then nothing changes); a cancelled <c>canfail</c> child gives
    /// <c>{faultCode, faultString}</c>.
    /// </summary>
    private static object? TaskWaitResults(CallContext call)
    {
        var args = call.Bind("parent", "tasks", "canfail?");
        call.RequireHost();
        var parentId = args.Long("parent");
        var canfail = (args.Array("canfail") ?? []).Select(i => Convert.ToInt64(i, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        var ids = args["tasks"] is object?[] list
            ? list.Select(i => Convert.ToInt64(i, System.Globalization.CultureInfo.InvariantCulture)).ToList()
            : call.State.Children(parentId).Where(t => HubState.IsFinished(t.State)).Select(t => t.Id).ToList();
        var results = new List<object?>();
        foreach (var id in ids)
        {
            var child = call.State.Tasks.GetValueOrDefault(id) ?? throw HubFault.Generic("No such task");
            var raiseFault = !canfail.Contains(id);
            if (child.State == TaskState.Canceled)
            {
                var text = $"Task {id} is canceled";
                results.Add(raiseFault ? throw HubFault.Generic(text) : new object?[] { id, new XmlRpcStruct { ["faultCode"] = 1000, ["faultString"] = text } });
                continue;
            }

            if (child.State is not (TaskState.Closed or TaskState.Failed))
            {
                throw HubFault.Generic($"Task {id} is not finished");
            }

            var (value, fault) = TaskResults.Parse(child.Result);
            if (fault is not null)
            {
                results.Add(raiseFault
                    ? throw new HubFault(fault.Code, fault.Message)
                    : new object?[] { id, new XmlRpcStruct { ["faultCode"] = fault.Code, ["faultString"] = fault.Message } });
                continue;
            }

            results.Add(new object?[] { id, value });
        }

        Unwait(call.State, parentId);
        call.Commit();
        return results.ToArray();
    }

    /// <summary>host.taskUnwait(parent): the parent stops waiting, its children stop being awaited.</summary>
    private static object? TaskUnwait(CallContext call)
    {
        var args = call.Bind("parent");
        call.RequireHost();
        Unwait(call.State, args.Long("parent"));
        call.Commit();
        return null;
    }

    private static void Unwait(HubState state, long parentId)
    {
        if (state.Tasks.TryGetValue(parentId, out var parent))
        {
            parent.Waiting = false;
        }

        foreach (var child in state.Children(parentId))
        {
            child.Awaited = false;
        }
    }
}
