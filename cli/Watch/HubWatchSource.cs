using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Sessions;

namespace KojiComposer.Cli.Watch;

/// <summary>
/// A task followed on the hub alone (no service configured, or it does not answer): getTaskInfo for the task, and
/// the documents KojiComposer's builder attaches to it (osbuildimage-task.md §5.2): compose-request.json once
/// (images and N-V-R; it is there before the compose), compose-status.json whenever listTaskOutput says it changed
/// (it is uploaded again on each status change, the last time before the task ends).
/// </summary>
internal sealed class HubWatchSource(KojiCaller hub, KojiTaskReader task) : WatchSource
{
    private const string RequestFile = "compose-request.json";
    private const string StatusFile = "compose-status.json";

    private JsonObject? _request;
    private JsonObject? _status;
    private KojiTaskOutputFile? _statusSeen;

    public override async Task<WatchState> ReadAsync(CancellationToken cancellationToken)
    {
        // The task first: once it is seen ended, the documents read after it are the final ones (they are uploaded
        // before host.closeTask / failTask).
        var (state, fault, composeId) = await task.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (state is not (KojiTaskState.Free or KojiTaskState.Assigned))
        {
            var files = await hub.ListTaskOutputFilesAsync(task.TaskId, cancellationToken).ConfigureAwait(false);
            if (_request is null && files.ContainsKey(RequestFile))
            {
                _request = await DownloadJsonAsync(RequestFile, cancellationToken).ConfigureAwait(false);
            }

            if (files.TryGetValue(StatusFile, out var seen) && seen != _statusSeen
                && await DownloadJsonAsync(StatusFile, cancellationToken).ConfigureAwait(false) is { } status)
            {
                _status = status;
                _statusSeen = seen;
            }
        }

        return Build(state, fault, composeId);
    }

    private async Task<JsonObject?> DownloadJsonAsync(string name, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await hub.DownloadTaskOutputAsync(task.TaskId, name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (KojiGenericErrorFault)
        {
            // "no file ... output by task N": listed a moment ago, so it is being written again: next time.
            return null;
        }

        try
        {
            return JsonNode.Parse(Encoding.UTF8.GetString(bytes)) as JsonObject;
        }
        catch (JsonException)
        {
            // Caught while being uploaded again (the hub truncates at the write offset): next time.
            return null;
        }
    }

    private WatchState Build(KojiTaskState state, string? fault, Guid? composeId)
    {
        var result = new WatchState { TaskId = task.TaskId, TaskState = state, TaskFault = fault, ComposeId = composeId, FromHub = true };
        if (_request is null && _status is null)
        {
            return result;
        }

        var requests = _request?["image_requests"] as JsonArray ?? [];
        var statuses = _status?["image_statuses"] as JsonArray ?? [];
        var images = new List<WatchImage>();
        for (var i = 0; i < Math.Max(requests.Count, statuses.Count); i++)
        {
            var request = i < requests.Count ? requests[i] as JsonObject : null;
            var status = i < statuses.Count ? statuses[i] as JsonObject : null;
            images.Add(new WatchImage(
                ServiceWatchSource.Text(request?["architecture"]) ?? "?",
                ServiceWatchSource.Text(request?["image_type"]) ?? "?",
                ServiceWatchSource.Text(status?["status"]) ?? "pending",
                Progress(status?["progress"] as JsonObject),
                WatchError.From(status?["error"])));
        }

        var koji = _request?["koji"] as JsonObject;
        var nvr = koji is null ? null : $"{ServiceWatchSource.Text(koji["name"])}-{ServiceWatchSource.Text(koji["version"])}-{ServiceWatchSource.Text(koji["release"])}";
        return result with
        {
            Nvr = nvr,
            // The compose exists from right after compose-request.json; its status document follows.
            ComposeStatus = ServiceWatchSource.Text(_status?["status"]) ?? "pending",
            BuildId = ServiceWatchSource.Number(_status?["koji_build_id"]),
            Images = images,
            Document = _status,
        };
    }

    /// <summary>compose-status.json's <c>progress</c>: <c>{done, total, subprogress?: {done, total}}</c>; no
    /// stage name (composer's shape).</summary>
    private static WatchProgress? Progress(JsonObject? progress) =>
        progress is null ? null
        : new WatchProgress(
            (int)(ServiceWatchSource.Number(progress["done"]) ?? 0),
            (int)(ServiceWatchSource.Number(progress["total"]) ?? 0),
            null,
            (int?)ServiceWatchSource.Number((progress["subprogress"] as JsonObject)?["done"]),
            (int?)ServiceWatchSource.Number((progress["subprogress"] as JsonObject)?["total"]));
}
