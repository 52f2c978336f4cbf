using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Sessions;

namespace KojiComposer.HubBridge.Host;

/// <summary>
/// Runs the tasks of one Koji method (<c>osbuildImage</c>, <c>tagBuild</c>) for <see cref="KojiHostLoop"/>. The loop
/// opens the task, calls <see cref="RunAsync"/> once (again after a restart, with
/// <see cref="KojiTaskContext.Resumed"/>), and writes the outcome to the hub (<c>host.closeTask</c> /
/// <c>host.failTask</c>). A handler never closes or fails its own task, and treats hub errors inside its work as
/// something to retry, not as the task's failure: only the task's own problem fails it.
/// </summary>
public interface IKojiTaskHandler
{
    /// <summary>The Koji method this handler runs, e.g. <c>osbuildImage</c>.</summary>
    string Method { get; }

    /// <summary>The weight the loop sets with <c>host.setTaskWeight</c> after opening (osbuildImage: 0.2, the
    /// builder plugin's <c>_taskWeight</c>).</summary>
    double Weight { get; }

    /// <summary>
    /// Does the task's work until it ends. <paramref name="context"/>'s <see cref="KojiTaskContext.Stopped"/> fires
    /// when Koji canceled the task or it stopped being ours; <paramref name="shutdown"/> when the process stops (the
    /// task then stays OPEN and is resumed by the next start). Returns what to tell the hub.
    /// </summary>
    Task<KojiTaskOutcome> RunAsync(KojiTaskContext context, CancellationToken shutdown);
}

/// <summary>What a running task handler is given.</summary>
public sealed class KojiTaskContext
{
    /// <summary>The task id.</summary>
    public required long TaskId { get; init; }

    /// <summary>The task as <c>getTaskInfo(id, request=True)</c> returned it (<see cref="KojiTaskInfo.Request"/> holds
    /// the decoded parameters).</summary>
    public required KojiTaskInfo Task { get; init; }

    /// <summary>Our host id.</summary>
    public required long HostId { get; init; }

    /// <summary>The host's exclusive session, for the task's reads, attachments (<c>UploadTaskOutputAsync</c>) and
    /// subtasks. Shared by every running task; its calls are serialized.</summary>
    public required KojiSession Session { get; init; }

    /// <summary>True when the task was already OPEN for us when this process started (a restart), or was given to
    /// us again after the hub freed it.</summary>
    public bool Resumed { get; init; }

    /// <summary>Fires when the task must stop: canceled in Koji (<see cref="StopReason"/> =
    /// <see cref="KojiTaskStopReason.Canceled"/>), or freed or reassigned by the hub
    /// (<see cref="KojiTaskStopReason.Lost"/>).</summary>
    public required CancellationToken Stopped { get; init; }

    /// <summary>Why <see cref="Stopped"/> fired; <see cref="KojiTaskStopReason.None"/> before that.</summary>
    public KojiTaskStopReason StopReason => StopReasonSource();

    /// <summary>Where <see cref="StopReason"/> comes from (set by the loop; tests set their own).</summary>
    public Func<KojiTaskStopReason> StopReasonSource { get; init; } = () => KojiTaskStopReason.None;
}

/// <summary>Why a running task was stopped.</summary>
public enum KojiTaskStopReason
{
    /// <summary>Not stopped.</summary>
    None,

    /// <summary>Canceled in Koji (state CANCELED): stop the work, refund, write no result.</summary>
    Canceled,

    /// <summary>No longer ours (FREE again, or OPEN for another host): stop without writing anything.</summary>
    Lost,
}

/// <summary>How a task ended, as the loop reports it to the hub.</summary>
public abstract record KojiTaskOutcome
{
    private KojiTaskOutcome()
    {
    }

    /// <summary><c>host.closeTask(id, result)</c>; <see cref="Result"/> is encoded as a methodResponse document.</summary>
    public sealed record Closed(object? Result) : KojiTaskOutcome;

    /// <summary><c>host.failTask(id, fault)</c>.</summary>
    public sealed record Failed(int FaultCode, string FaultString) : KojiTaskOutcome;

    /// <summary>Koji canceled the task; nothing is written (the hub set CANCELED).</summary>
    public sealed record Canceled : KojiTaskOutcome;

    /// <summary>The task is not ours any more (or the process stops): nothing is written, the task stays as it
    /// is.</summary>
    public sealed record Abandoned(string Reason) : KojiTaskOutcome;
}
