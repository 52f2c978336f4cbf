using System.Text.Json.Nodes;

namespace KojiComposer.Scheduler.Koji.Tasks;

/// <summary>
/// Where the hub bridge is with one Koji task it took (an <c>osbuildImage</c> task, or the <c>tagBuild</c> subtask
/// it made). Written before the task is opened and at every step after, so that a restart of the bridge at any
/// point finds the task again and neither loses it nor starts a second compose for it.
/// </summary>
public sealed record KojiTaskRecord
{
    /// <summary>The Koji task id.</summary>
    public required long TaskId { get; init; }

    /// <summary>The task's method, e.g. <c>osbuildImage</c> or <c>tagBuild</c>.</summary>
    public required string Method { get; init; }

    /// <summary>Where the task is.</summary>
    public required KojiTaskStage Stage { get; init; }

    /// <summary>The task's parameters as the hub decoded them (<c>getTaskInfo(id, request=True)</c>), as JSON;
    /// null when not read yet.</summary>
    public JsonArray? Request { get; init; }

    /// <summary>The compose serving the task, once created.</summary>
    public Guid? ComposeId { get; init; }

    /// <summary>The handler's own facts it needs after a restart (destination tag, skip_tag, tagging subtask id).
    /// Never credentials.</summary>
    public JsonObject? Data { get; init; }

    /// <summary>The fault the task was (or is being) failed with, or null.</summary>
    public int? FaultCode { get; init; }

    /// <summary>The fault text, or null.</summary>
    public string? FaultString { get; init; }

    /// <summary>When the bridge first received it.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the record last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When it reached a final stage, or null.</summary>
    public DateTimeOffset? FinishedAt { get; init; }
}

/// <summary>A Koji task's stage in the bridge. The last four are final.</summary>
public enum KojiTaskStage
{
    /// <summary>Assigned to us and recorded; <c>host.openTask</c> not confirmed yet.</summary>
    Received,

    /// <summary>Opened by us; the handler runs (for <c>osbuildImage</c>: resolving the request, no compose yet).</summary>
    Open,

    /// <summary>Its compose exists (<see cref="KojiTaskRecord.ComposeId"/>) and runs.</summary>
    Composing,

    /// <summary>The compose ended; attachments, tagging and the close or fail are under way.</summary>
    Finishing,

    /// <summary>Closed with a result.</summary>
    Closed,

    /// <summary>Failed with <see cref="KojiTaskRecord.FaultCode"/>.</summary>
    Failed,

    /// <summary>Canceled in Koji.</summary>
    Canceled,

    /// <summary>No longer ours without us finishing it: never opened (taken by another host, canceled before we
    /// opened it), freed by the hub, or given back.</summary>
    Released,
}

/// <summary>Helpers for <see cref="KojiTaskStage"/>.</summary>
public static class KojiTaskStageExtensions
{
    /// <summary>True for <see cref="KojiTaskStage.Closed"/>, <see cref="KojiTaskStage.Failed"/>,
    /// <see cref="KojiTaskStage.Canceled"/> and <see cref="KojiTaskStage.Released"/>.</summary>
    public static bool IsFinal(this KojiTaskStage stage) => stage >= KojiTaskStage.Closed;

    /// <summary>Lower-case name as the store and the API write it.</summary>
    public static string ToWire(this KojiTaskStage stage) => stage.ToString().ToLowerInvariant();
}
