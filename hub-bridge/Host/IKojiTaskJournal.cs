using KojiComposer.HubBridge.Calls;

namespace KojiComposer.HubBridge.Host;

/// <summary>
/// Where <see cref="KojiHostLoop"/> records the tasks it takes, durably (the scheduler's store), so that a restart at
/// any step neither loses a task nor runs it twice. Every method may be called again for the same task after a
/// crash and must be idempotent.
/// </summary>
public interface IKojiTaskJournal
{
    /// <summary>Task <paramref name="task"/> (with its request) was assigned to us and is about to be opened: record
    /// it. Called before <c>host.openTask</c>; if it throws, the task is not opened (it stays ASSIGNED and comes back
    /// on the next poll).</summary>
    Task ReceivedAsync(KojiTaskInfo task, CancellationToken cancellationToken);

    /// <summary><c>host.openTask</c> succeeded: the task is OPEN and ours.</summary>
    Task OpenedAsync(long taskId, CancellationToken cancellationToken);

    /// <summary>The task ended: its close or fail was accepted by the hub, Koji canceled it, or it is no longer ours
    /// (<see cref="KojiTaskOutcome.Abandoned"/> is reported only for tasks the hub gave to someone else or freed, never for a
    /// shutdown).</summary>
    Task FinishedAsync(long taskId, KojiTaskOutcome outcome, CancellationToken cancellationToken);

    /// <summary>Ids of the tasks recorded as received or open and not finished: at start-up the loop compares them
    /// with the hub (resume, cancel, or finish each).</summary>
    Task<IReadOnlyList<long>> UnfinishedAsync(CancellationToken cancellationToken);
}
