using System.Text.Json;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.Python;
using KojiComposer.HubSimulator.Scheduler;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubSimulator.Handlers;

/// <summary>
/// The builder-host calls around taking tasks (koji-wire.md §9.1-§9.4; kojihub <c>HostExports</c>, <c>Host</c>,
/// <c>Task.lock/open/free</c>, scheduler.py <c>get_tasks_for_host</c>, <c>set_refusal</c>).
/// </summary>
internal static class HostHandlers
{
    public static void Register(HubSimulator hub)
    {
        var d = hub.Dispatcher;
        d.Register("host.updateHost", UpdateHost);
        d.Register("host.setHostData", SetHostData);
        d.Register("host.getHost", call => HubDicts.Host(call.RequireHost()));
        d.Register("host.getLoadData", GetLoadData);
        d.Register("host.getTasks", call => TasksFor(call, call.RequireHost()));
        d.Register("host.getHostTasks", GetHostTasks);
        d.Register("host.openTask", OpenTask);
        d.Register("host.refuseTask", RefuseTask);
        d.Register("host.setTaskWeight", SetTaskWeight);
        d.Register("host.freeTasks", FreeTasks);
    }

    /// <summary>
    /// host.updateHost(task_load, ready, data=None): load, readiness and the update time the ReadyTimeout and
    /// HostTimeout watch; <c>data</c> (methods, maxjobs) replaces the scheduler's host data.
    /// </summary>
    private static object? UpdateHost(CallContext call)
    {
        var args = call.Bind("task_load", "ready", "data?");
        var host = call.RequireHost();
        var load = args.Double("task_load");
        var data = args["data"];
        if (data is not null and not XmlRpcStruct)
        {
            throw HubFault.Python("TypeError", $"Object of type {Arguments.Python(data)} is not JSON serializable");
        }

        host.TaskLoad = load;
        host.Ready = args.Bool("ready");
        host.UpdateTime = call.Now;
        if (data is XmlRpcStruct d)
        {
            ReplaceData(host, d);
        }

        call.Commit();
        return null;
    }

    /// <summary>host.setHostData(hostdata): the scheduler's host data (a struct, or for compatibility its JSON text).</summary>
    private static object? SetHostData(CallContext call)
    {
        var args = call.Bind("hostdata");
        var host = call.RequireHost();
        var data = args["hostdata"];
        if (data is string text)
        {
            try
            {
                data = PythonJson.Loads(text);
            }
            catch (JsonException e)
            {
                throw HubFault.Python("json.decoder.JSONDecodeError", e.Message);
            }
        }

        ReplaceData(host, data as XmlRpcStruct ?? []);
        call.Commit();
        return null;
    }

    private static void ReplaceData(SimHost host, XmlRpcStruct data)
    {
        host.Data.Clear();
        foreach (var (key, value) in data)
        {
            host.Data[key] = value;
        }
    }

    /// <summary>
    /// scheduler.py <c>get_tasks_for_host(retry=True)</c>: the host's ASSIGNED tasks by priority then age; when it
    /// has none, a scheduler run (at most once per RunInterval) and a second look.
    /// </summary>
    public static object?[] TasksFor(CallContext call, SimHost host)
    {
        var assigned = Assigned(call.State, host);
        if (assigned.Length == 0 && new HubScheduler(call.State, call.Hub.Options).Run(call.Now))
        {
            call.Commit();
            assigned = Assigned(call.State, host);
        }

        return assigned;
    }

    private static object?[] Assigned(HubState state, SimHost host) => state.Tasks.Values
        .Where(t => t.HostId == host.Id && t.State == TaskState.Assigned)
        .OrderBy(t => t.Priority).ThenBy(t => t.CreateTime).ThenBy(t => t.Id)
        .Select(t => (object?)HubDicts.Sorted(
            ("id", t.Id), ("state", (int)t.State), ("channel_id", t.ChannelId), ("host_id", t.HostId), ("arch", t.Arch),
            ("method", t.Method), ("priority", t.Priority), ("create_ts", SessionHandlers.Ts(t.CreateTime))))
        .ToArray();

    /// <summary>host.getLoadData (legacy): <c>[[this host + channels], its ASSIGNED tasks]</c>.</summary>
    private static object? GetLoadData(CallContext call)
    {
        var host = call.RequireHost();
        var info = HubDicts.Host(host);
        info["channels"] = host.Channels.Order().Cast<object?>().ToArray();
        return new object?[] { new object?[] { info }, TasksFor(call, host) };
    }

    /// <summary>host.getHostTasks: the host's OPEN tasks <c>{id, waiting, weight}</c>, <c>alert</c> when an awaited child finished.</summary>
    private static object? GetHostTasks(CallContext call)
    {
        var host = call.RequireHost();
        return call.State.Tasks.Values
            .Where(t => t.HostId == host.Id && t.State == TaskState.Open)
            .OrderBy(t => t.Id)
            .Select(t =>
            {
                var entry = new XmlRpcStruct { ["id"] = t.Id, ["waiting"] = t.Waiting, ["weight"] = t.Weight };
                if (t.Waiting == true && SubtaskHandlers.WaitCheck(call.State, t.Id).Finished.Count > 0)
                {
                    entry["alert"] = true;
                }

                return (object?)entry;
            })
            .ToArray();
    }

    /// <summary>
    /// host.openTask(task_id): koji <c>Task.lock(host, 'OPEN')</c>: a task ASSIGNED to this host (or FREE) becomes
    /// OPEN with a start time, and the reply is the task row with <c>request</c> = the original methodCall XML;
    /// assigned elsewhere, cancelled, open or finished → nil.
    /// </summary>
    private static object? OpenTask(CallContext call)
    {
        var args = call.Bind("task_id");
        var host = call.RequireHost();
        var task = call.State.Tasks.GetValueOrDefault(args.Long("task_id")) ?? throw HubFault.Generic("query returned no rows");
        var lockable = task.State switch
        {
            TaskState.Free => task.HostId is null,
            TaskState.Assigned => task.HostId == host.Id,
            _ => false,
        };
        if (!lockable)
        {
            return null;
        }

        task.State = TaskState.Open;
        task.HostId = host.Id;
        task.StartTime = call.Now;
        call.Commit();
        return HubDicts.Task(task, task.RequestXml);
    }

    /// <summary>
    /// host.refuseTask(task_id, soft=True, msg=''): a task of this host goes back to FREE and the refusal keeps it
    /// away from this host (soft ones for SoftRefusalTimeout); someone else's task is ignored.
    /// </summary>
    private static object? RefuseTask(CallContext call)
    {
        var args = call.Bind("task_id", "soft?", "msg?");
        var soft = args.Bool("soft", fallback: true);
        var message = args["msg"] is { } m ? TagReadHandlers.Str(m) : string.Empty;
        var host = call.RequireHost();
        var task = call.State.Tasks.GetValueOrDefault(args.Long("task_id")) ?? throw HubFault.Generic("query returned no rows");
        if (task.HostId != host.Id)
        {
            return null; // "Host refused unrelated task", logged only
        }

        call.State.Free(task);
        task.Refusals[host.Id] = new SimRefusal(soft, ByHost: true, message, call.Now);
        call.Commit();
        return null;
    }

    /// <summary>koji <c>Task.assertHost</c>: the task is OPEN and this host's, else <c>host N does not own task M</c>.</summary>
    public static SimTask OwnedOpenTask(CallContext call, SimHost host, long taskId)
    {
        var task = call.State.Tasks.GetValueOrDefault(taskId) ?? throw HubFault.Generic($"No such task: {taskId}");
        return task.State == TaskState.Open && task.HostId == host.Id
            ? task
            : throw HubFault.NotAllowed($"host {host.Id} does not own task {taskId}");
    }

    /// <summary>host.setTaskWeight(task_id, weight).</summary>
    private static object? SetTaskWeight(CallContext call)
    {
        var args = call.Bind("task_id", "weight");
        var host = call.RequireHost();
        var task = OwnedOpenTask(call, host, args.Long("task_id"));
        task.Weight = args.Double("weight");
        call.Commit();
        return null;
    }

    /// <summary>host.freeTasks(tasks): this host's OPEN tasks among them go back to FREE; others are skipped.</summary>
    private static object? FreeTasks(CallContext call)
    {
        var args = call.Bind("tasks");
        var host = call.RequireHost();
        var ids = args.Array("tasks") ?? throw HubFault.Python("TypeError", $"'{Arguments.Python(args["tasks"])}' object is not iterable");
        var tasks = ids.Select(id => call.State.Tasks.GetValueOrDefault(Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture))
            ?? throw HubFault.Generic($"No such task: {id}")).ToList();
        foreach (var task in tasks.Where(t => t.State == TaskState.Open && t.HostId == host.Id))
        {
            call.State.Free(task);
            call.Commit();
        }

        return null;
    }
}
