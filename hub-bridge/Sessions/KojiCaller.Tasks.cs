using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.HubBridge.Sessions;

/// <summary>Task calls of a Koji client (koji's CLI): creating an <c>osbuildImage</c> task, and the reads its task
/// watcher makes (koji <c>cli/koji_cli/lib.py</c> <c>TaskWatcher</c>, <c>watch_tasks</c>).</summary>
public abstract partial class KojiCaller
{
    /// <summary>
    /// <c>osbuildImage(name, version, distro, image_type, target, arches, opts=opts)</c> as koji's Python client
    /// sends it: opts as a keyword argument, that is a trailing <c>{opts, __starstar: true}</c> struct
    /// (osbuildimage-task.md §1.1, koji-wire.md §2.2). Needs a session with permission <c>image</c>. Not retried
    /// when the outcome is unclear: a second call would make a second task.
    /// </summary>
    /// <returns>The new task's id.</returns>
    public async Task<long> OsbuildImageAsync(
        string name, string version, string distro, string imageType, string target, IReadOnlyList<string> arches, XmlRpcStruct opts,
        CancellationToken cancellationToken = default)
    {
        var call = KojiCall.Write(
            "osbuildImage", name, version, distro, imageType, target, arches.Cast<object?>().ToArray(), Kw(("opts", opts)));
        return Values.Long(await CallAsync(call, cancellationToken).ConfigureAwait(false), "osbuildImage");
    }

    /// <summary>getHost(id or name): the host, or null when there is none.</summary>
    public async Task<KojiHostInfo?> GetHostAsync(object host, CancellationToken cancellationToken = default) =>
        await ReadAsync("getHost", cancellationToken, host).ConfigureAwait(false) is { } found ? KojiHostInfo.From(found, "getHost") : null;

    /// <summary>getTaskChildren(id): the task's direct subtasks, in the order the hub lists them.</summary>
    public async Task<IReadOnlyList<KojiTaskInfo>> GetTaskChildrenAsync(long taskId, bool request = false, CancellationToken cancellationToken = default)
    {
        var reply = request
            ? await ReadAsync("getTaskChildren", cancellationToken, taskId, Kw(("request", true))).ConfigureAwait(false)
            : await ReadAsync("getTaskChildren", cancellationToken, taskId).ConfigureAwait(false);
        return Values.Array(reply, "getTaskChildren").Select(t => KojiTaskInfo.From(t, "getTaskChildren")).ToArray();
    }
}
