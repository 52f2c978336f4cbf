using System.Text.Json.Nodes;
using KojiComposer.HubBridge.Calls;

namespace KojiComposer.Cli.Watch;

/// <summary>
/// What is known of a watched task or compose at one moment, whichever source it came from: the service's API
/// (<c>GET /composes/{id}</c> with its <c>kojicomposer</c> fields) or the hub (<c>getTaskInfo</c> and the task's
/// compose-request.json / compose-status.json, osbuildimage-task.md §5.3, §6.1). Views print it; the runner decides
/// from it when the watch ends and with what exit code.
/// </summary>
internal sealed record WatchState
{
    /// <summary>The Koji task, when known (the watched one, or the compose's).</summary>
    public long? TaskId { get; init; }

    /// <summary>The task's state on the hub; null when no hub was asked.</summary>
    public KojiTaskState? TaskState { get; init; }

    /// <summary>A failed task's fault as koji's watcher prints it: <c>BuildError: Compose failed (id: …)</c>.</summary>
    public string? TaskFault { get; init; }

    /// <summary>The compose; null before it exists, or on the hub until the task's result names it.</summary>
    public Guid? ComposeId { get; init; }

    /// <summary>The build's N-V-R, once known.</summary>
    public string? Nvr { get; init; }

    /// <summary>The compose's state word (the service's <c>pending</c>, <c>running</c>, <c>finalizing</c>,
    /// <c>success</c>, <c>failure</c>, <c>canceled</c>; compose-status.json's <c>pending</c>, <c>success</c>,
    /// <c>failure</c>); null while there is no compose (yet).</summary>
    public string? ComposeStatus { get; init; }

    /// <summary>True once the compose ended.</summary>
    public bool ComposeFinal => ComposeStatus is "success" or "failure" or "canceled";

    /// <summary>The Koji build reserved for it.</summary>
    public long? BuildId { get; init; }

    /// <summary>The images, in the compose's order.</summary>
    public IReadOnlyList<WatchImage> Images { get; init; } = [];

    /// <summary>Errors of the compose's own steps (the build reservation, the import).</summary>
    public IReadOnlyList<WatchStepError> StepErrors { get; init; } = [];

    /// <summary>The status document as read: the API's ComposeStatus, or compose-status.json.</summary>
    public JsonObject? Document { get; init; }

    /// <summary>True when it came from the hub rather than the service.</summary>
    public bool FromHub { get; init; }

    /// <summary>What the watch itself has to say while it runs, e.g. that the hub does not answer (the state is
    /// then the last one read); the live display shows it under its header.</summary>
    public string? Notice { get; init; }

    /// <summary>True for CLOSED, FAILED and CANCELED.</summary>
    public bool TaskFinal => TaskState is KojiTaskState.Closed or KojiTaskState.Failed or KojiTaskState.Canceled;

    /// <summary>The outcome, once there is one: when a task is watched its Koji state decides (the build is only
    /// there for Pungi once the task CLOSED, after tagging), else the compose's.</summary>
    public string? Result(bool watchingTask) =>
        watchingTask && TaskState is { } task
            ? task switch
            {
                KojiTaskState.Closed => "success",
                KojiTaskState.Failed => "failure",
                KojiTaskState.Canceled => "canceled",
                _ => null,
            }
            : ComposeFinal ? ComposeStatus : null;

    /// <summary>How to name it: the N-V-R, or the task.</summary>
    public string Title => Nvr ?? (TaskId is { } task ? $"koji task {task}" : $"compose {ComposeId}");
}

/// <summary>One image of the compose.</summary>
/// <param name="Status">The service's <c>pending</c>, <c>building</c>, <c>uploading</c>, <c>success</c>,
/// <c>failure</c>, <c>canceled</c>; compose-status.json's <c>pending</c>, <c>building</c>, <c>success</c>,
/// <c>failure</c>.</param>
/// <param name="Progress">osbuild's progress while it builds (the outer counter and what runs now).</param>
internal sealed record WatchImage(string Arch, string ImageType, string Status, WatchProgress? Progress, WatchError? Error)
{
    /// <summary><c>x86_64 guest-image</c>.</summary>
    public string Label => $"{Arch} {ImageType}";

    public bool Final => Status is "success" or "failure" or "canceled";
}

/// <summary>osbuild's counters: sources and pipelines done of all, the stage running, stages of the pipeline.</summary>
internal sealed record WatchProgress(int Done, int Total, string? Stage, int? SubDone, int? SubTotal);

/// <summary>A job error <c>{id, reason, details?}</c> (osbuild-run.md §10 numbering).</summary>
internal sealed record WatchError(int Id, string Reason, JsonNode? Details)
{
    /// <summary><c>error 10: osbuild build failed</c>.</summary>
    public override string ToString() => $"error {Id}: {Reason}";

    public static WatchError? From(JsonNode? node) =>
        node is JsonObject error && error["id"] is JsonValue id && id.TryGetValue<int>(out var code)
            ? new WatchError(code, ServiceWatchSource.Text(error["reason"]) ?? "(no reason given)", error["details"]?.DeepClone())
            : null;
}

/// <summary>An error of one of the compose's steps: <c>reservation</c> (Koji CGInitBuild) or <c>import</c>.</summary>
internal sealed record WatchStepError(string Step, WatchError Error);
