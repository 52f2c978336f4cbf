using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubSimulator.Handlers;

/// <summary>
/// Reading tasks, their results and their output files (koji-wire.md §8.5, §9.5, §10; kojihub <c>getTaskInfo</c>,
/// <c>Task.getRequest</c>, <c>Task.getResult</c>, <c>list_task_output</c>, <c>downloadTaskOutput</c>).
/// </summary>
internal static class TaskReadHandlers
{
    public static void Register(HubSimulator hub)
    {
        var d = hub.Dispatcher;
        d.Register("getTaskInfo", GetTaskInfo);
        d.Register("getTaskRequest", GetTaskRequest);
        d.Register("getTaskResult", GetTaskResult);
        d.Register("getTaskChildren", GetTaskChildren);
        d.Register("listTaskOutput", ListTaskOutput);
        d.Register("downloadTaskOutput", DownloadTaskOutput);
    }

    /// <summary>The task output directory: <c>work/tasks/&lt;id % 10000&gt;/&lt;id&gt;</c> (koji <c>pathinfo.taskrelpath</c>).</summary>
    public static string TaskDir(HubSimulator hub, long taskId) =>
        Path.Combine(hub.WorkDir, "tasks", (taskId % 10000).ToString(System.Globalization.CultureInfo.InvariantCulture), taskId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>getTaskInfo(task_id, request=False, strict=False); a list of ids gives a list.</summary>
    private static object? GetTaskInfo(CallContext call)
    {
        var args = call.Bind("task_id", "request?", "strict?");
        var request = args.Bool("request");
        var strict = args.Bool("strict");
        if (args["task_id"] is object?[] ids)
        {
            return ids.Select(id => Info(call, Id(id), request, strict)).ToArray();
        }

        return Info(call, args.Long("task_id"), request, strict);
    }

    private static long Id(object? value) => value is int or long
        ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)
        : throw HubFault.Python("TypeError", $"int() argument must be a string, a bytes-like object or a real number, not '{Arguments.Python(value)}'");

    private static object? Info(CallContext call, long id, bool request, bool strict)
    {
        if (!call.State.Tasks.TryGetValue(id, out var task))
        {
            return strict ? throw HubFault.Generic("query returned no rows") : null;
        }

        var info = HubDicts.Task(task);
        if (request)
        {
            info["request"] = task.Request;
        }

        return info;
    }

    private static SimTask Task(CallContext call, long id, string missing = "query returned no rows") =>
        call.State.Tasks.GetValueOrDefault(id) ?? throw HubFault.Generic(missing);

    /// <summary>getTaskRequest(taskId): the decoded params of the original request.</summary>
    private static object? GetTaskRequest(CallContext call)
    {
        var args = call.Bind("taskId");
        return Task(call, args.Long("taskId")).Request;
    }

    /// <summary>getTaskChildren(task_id, request=False, strict=False).</summary>
    private static object? GetTaskChildren(CallContext call)
    {
        var args = call.Bind("task_id", "request?", "strict?");
        var id = args.Long("task_id");
        if (args.Bool("strict"))
        {
            Task(call, id);
        }

        return call.State.Children(id).Select(t =>
        {
            var info = HubDicts.Task(t);
            if (args.Bool("request"))
            {
                info["request"] = t.Request;
            }

            return (object?)info;
        }).ToArray();
    }

    /// <summary>
    /// getTaskResult(taskId, raise_fault=True): the stored result; a stored fault is raised with its own code and
    /// text, or with raise_fault=False returned as <c>{faultCode, faultString}</c>; CANCELED → <c>Task N is
    /// canceled</c>; not finished → <c>Task N is not finished</c>; a result that is no methodResponse raises the
    /// decoding error either way.
    /// </summary>
    private static object? GetTaskResult(CallContext call)
    {
        var args = call.Bind("taskId", "raise_fault?");
        var task = Task(call, args.Long("taskId"), "No such task");
        if (task.State == TaskState.Canceled)
        {
            throw HubFault.Generic($"Task {task.Id} is canceled");
        }

        if (task.State is not (TaskState.Closed or TaskState.Failed))
        {
            throw HubFault.Generic($"Task {task.Id} is not finished");
        }

        var (value, fault) = TaskResults.Parse(task.Result);
        if (fault is null)
        {
            return value;
        }

        return args.Bool("raise_fault", fallback: true)
            ? throw new HubFault(fault.Code, fault.Message)
            : new XmlRpcStruct { ["faultCode"] = fault.Code, ["faultString"] = fault.Message };
    }

    /// <summary>
    /// listTaskOutput(taskID, stat=False, all_volumes=False, strict=False): file names (relative, subdirectories
    /// included) in the task directory; <c>stat</c> → <c>{name: {st_size (a string), st_atime, st_mtime,
    /// st_ctime}}</c>; <c>all_volumes</c> → <c>{name: ["DEFAULT"]}</c>.
    /// </summary>
    private static object? ListTaskOutput(CallContext call)
    {
        var args = call.Bind("taskID", "stat?", "all_volumes?", "strict?");
        var id = args.Long("taskID");
        if (args.Bool("strict") && !call.State.Tasks.ContainsKey(id))
        {
            throw HubFault.Generic("Task doesn't exist");
        }

        var stat = args.Bool("stat");
        var allVolumes = args.Bool("all_volumes");
        var dir = TaskDir(call.Hub, id);
        var files = Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f)).Order(StringComparer.Ordinal).ToList()
            : [];
        if (!stat && !allVolumes)
        {
            return files.Cast<object?>().ToArray();
        }

        var result = new XmlRpcStruct();
        foreach (var name in files)
        {
            object? entry = allVolumes ? new object?[] { "DEFAULT" } : null;
            if (stat)
            {
                var info = new FileInfo(Path.Combine(dir, name));
                var s = new XmlRpcStruct
                {
                    ["st_atime"] = Seconds(info.LastAccessTimeUtc),
                    ["st_ctime"] = Seconds(info.LastWriteTimeUtc),
                    ["st_mtime"] = Seconds(info.LastWriteTimeUtc),
                    ["st_size"] = info.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
                entry = allVolumes ? new XmlRpcStruct { ["DEFAULT"] = s } : s;
            }

            result[name] = entry;
        }

        return result;
    }

    private static double Seconds(DateTime utc) => new DateTimeOffset(utc).ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>
    /// downloadTaskOutput(taskID, fileName, offset=0, size=-1, volume=None): the bytes as base64 text (a string on
    /// the wire); a negative offset counts from the end.
    /// </summary>
    private static object? DownloadTaskOutput(CallContext call)
    {
        var args = call.Bind("taskID", "fileName", "offset?", "size?", "volume?");
        var id = args.Long("taskID");
        var name = args.String("fileName");
        if (name.Contains("..", StringComparison.Ordinal))
        {
            throw HubFault.Generic($"Invalid file name: {name}");
        }

        var path = Path.GetFullPath(Path.Combine(TaskDir(call.Hub, id), name));
        if (!File.Exists(path))
        {
            throw HubFault.Generic($"no file \"{name}\" output by task {id}");
        }

        using var file = File.OpenRead(path);
        var offset = args.LongOrNull("offset") ?? 0;
        file.Position = offset >= 0 ? Math.Min(offset, file.Length) : Math.Max(0, file.Length + offset);
        var size = args.LongOrNull("size") ?? -1;
        var count = size < 0 ? file.Length - file.Position : Math.Min(size, file.Length - file.Position);
        var buffer = new byte[count];
        file.ReadExactly(buffer);
        return Convert.ToBase64String(buffer);
    }
}
