using System.Text.Json.Nodes;

namespace KojiComposer.Scheduler.Koji.Tasks;

/// <summary>
/// The durable record of the Koji tasks the hub bridge took (<see cref="KojiTaskRecord"/>), in the same store as the
/// composes (table <c>koji_task</c>), so that every process sharing the store sees the same tasks. Each write is
/// one atomic statement or transaction; <c>KojiTaskStoreConformanceTests</c> holds both stores to this contract.
/// </summary>
public interface IKojiTaskStore
{
    /// <summary>Records task <paramref name="taskId"/> as <see cref="KojiTaskStage.Received"/> with its request.
    /// When a record exists already (a task given to us again after a restart or a hub reassignment), returns it
    /// unchanged with <c>Created = false</c> — except that a <see cref="KojiTaskStage.Released"/> record goes back
    /// to <see cref="KojiTaskStage.Received"/> (the task is ours again), keeping its compose id and data.</summary>
    Task<(KojiTaskRecord Record, bool Created)> ReceiveTaskAsync(long taskId, string method, JsonArray? request, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The record of task <paramref name="taskId"/>, or null.</summary>
    Task<KojiTaskRecord?> GetTaskAsync(long taskId, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the record to <paramref name="stage"/> and sets the given fields (a null argument keeps the stored
    /// value; <paramref name="data"/> replaces the whole object). A final stage sets <c>FinishedAt</c>; a final
    /// record does not change any more (returns it unchanged). Returns the stored record.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No record for <paramref name="taskId"/>.</exception>
    Task<KojiTaskRecord> UpdateTaskAsync(long taskId, KojiTaskStage stage, Guid? composeId, JsonObject? data, int? faultCode, string? faultString, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Records not in a final stage, oldest first.</summary>
    Task<IReadOnlyList<KojiTaskRecord>> ListUnfinishedTasksAsync(CancellationToken cancellationToken);
}
