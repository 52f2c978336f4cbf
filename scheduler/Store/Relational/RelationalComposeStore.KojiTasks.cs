using System.Data.Common;
using System.Text.Json.Nodes;
using KojiComposer.Scheduler.Koji.Tasks;
using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Store.Relational;

/// <summary>
/// The Koji task records (table <c>koji_task</c>) and the NVR lookup. A task's record is written by one
/// transaction per call that locks its row (<see cref="LockClause"/>, or SQLite's write transaction), so that a
/// check of the stored stage and the change it allows are one step even when two processes receive the same task.
/// </summary>
internal abstract partial class RelationalComposeStore : IKojiTaskStore
{
    /// <summary>Columns of the Koji task table, in the order <see cref="ReadKojiTask"/> reads them.</summary>
    private const string KojiTaskColumns =
        "task_id, method, stage, request, compose_id, data, fault_code, fault_string, created_at, updated_at, finished_at";

    /// <summary>The stages that are not final (<see cref="KojiTaskStageExtensions.IsFinal"/>), as the partial
    /// index <c>koji_task_unfinished</c> names them, so that the query can use it.</summary>
    private const string UnfinishedStages = "stage IN ('received', 'open', 'composing', 'finishing')";

    /// <inheritdoc />
    public async Task<IReadOnlyList<Compose>> FindByNvrAsync(string name, string version, string release, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(version);
        ArgumentException.ThrowIfNullOrEmpty(release);

        // Exact, case-sensitive: Koji compares NVRs as they are written.
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await BeginAsync(connection, write: false, cancellationToken).ConfigureAwait(false);
        var rows = await LoadAllAsync(transaction, "name = @name AND version = @version AND release = @release", command =>
        {
            Add(command, "name", name);
            Add(command, "version", version);
            Add(command, "release", release);
        }, "created_at, id", cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(r => r.ToModel());
    }

    /// <inheritdoc />
    /// <remarks>A released record taken again starts over as received: its fault and finished time are cleared
    /// (they described the time it was not ours), its request is the new one when given; compose id and data are
    /// kept.</remarks>
    public async Task<(KojiTaskRecord Record, bool Created)> ReceiveTaskAsync(long taskId, string method, JsonArray? request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(taskId);
        ArgumentException.ThrowIfNullOrWhiteSpace(method);

        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await BeginAsync(connection, write: true, cancellationToken).ConfigureAwait(false);
        int inserted;
        await using (var command = Command(transaction, $"""
            INSERT INTO {KojiTaskTable} (task_id, method, stage, request, created_at, updated_at)
            VALUES (@task_id, @method, @stage, @request, @now, @now)
            ON CONFLICT (task_id) DO NOTHING
            """))
        {
            Add(command, "task_id", taskId);
            Add(command, "method", method);
            Add(command, "stage", KojiTaskStage.Received.ToWire());
            Add(command, "request", JsonColumns.Of(request));
            Add(command, "now", now);
            inserted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // A concurrent receiver's insert made ours do nothing (PostgreSQL waited for its commit): the row is there
        // now, and locking it orders a revival of a released record after any other writer of it.
        var existing = await LoadKojiTaskAsync(transaction, taskId, forUpdate: true, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"the record of Koji task {taskId} cannot be read after it was written");
        if (inserted == 1)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return (existing, true);
        }

        if (existing.Stage != KojiTaskStage.Released)
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return (existing, false);
        }

        await using (var command = Command(transaction, $"""
            UPDATE {KojiTaskTable} SET stage = @stage, request = @request, fault_code = NULL, fault_string = NULL,
                updated_at = @now, finished_at = NULL
            WHERE task_id = @task_id
            """))
        {
            Add(command, "task_id", taskId);
            Add(command, "stage", KojiTaskStage.Received.ToWire());
            Add(command, "request", JsonColumns.Of(request ?? existing.Request));
            Add(command, "now", now);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var revived = await LoadKojiTaskAsync(transaction, taskId, forUpdate: false, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (revived!, false);
    }

    /// <inheritdoc />
    public async Task<KojiTaskRecord?> GetTaskAsync(long taskId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await BeginAsync(connection, write: false, cancellationToken).ConfigureAwait(false);
        var record = await LoadKojiTaskAsync(transaction, taskId, forUpdate: false, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return record;
    }

    /// <inheritdoc />
    public async Task<KojiTaskRecord> UpdateTaskAsync(long taskId, KojiTaskStage stage, Guid? composeId, JsonObject? data, int? faultCode, string? faultString, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(stage))
        {
            throw new ArgumentOutOfRangeException(nameof(stage), stage, "not a Koji task stage");
        }

        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await BeginAsync(connection, write: true, cancellationToken).ConfigureAwait(false);
        var existing = await LoadKojiTaskAsync(transaction, taskId, forUpdate: true, cancellationToken).ConfigureAwait(false);
        if (existing is null || existing.Stage.IsFinal())
        {
            // A final record is history: a late writer (a retried close, a stale handler) must not reopen it.
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return existing ?? throw new KeyNotFoundException($"no record of Koji task {taskId}: it was never received");
        }

        await using (var command = Command(transaction, $"""
            UPDATE {KojiTaskTable} SET stage = @stage, compose_id = @compose_id, data = @data, fault_code = @fault_code,
                fault_string = @fault_string, updated_at = @now, finished_at = @finished_at
            WHERE task_id = @task_id
            """))
        {
            Add(command, "task_id", taskId);
            Add(command, "stage", stage.ToWire());
            Add(command, "compose_id", composeId ?? existing.ComposeId);
            Add(command, "data", JsonColumns.Of(data ?? existing.Data));
            Add(command, "fault_code", faultCode ?? existing.FaultCode);
            Add(command, "fault_string", faultString ?? existing.FaultString);
            Add(command, "now", now);
            Add(command, "finished_at", stage.IsFinal() ? now : null);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // Read back rather than built here, so the caller sees what GetTaskAsync will (times at the store's precision).
        var updated = await LoadKojiTaskAsync(transaction, taskId, forUpdate: false, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return updated!;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<KojiTaskRecord>> ListUnfinishedTasksAsync(CancellationToken cancellationToken)
    {
        var records = new List<KojiTaskRecord>();
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await BeginAsync(connection, write: false, cancellationToken).ConfigureAwait(false);
        await using (var command = Command(transaction, $"SELECT {KojiTaskColumns} FROM {KojiTaskTable} WHERE {UnfinishedStages} ORDER BY created_at, task_id"))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                records.Add(ReadKojiTask(reader));
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return records;
    }

    private async Task<KojiTaskRecord?> LoadKojiTaskAsync(DbTransaction transaction, long taskId, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var command = Command(transaction, $"SELECT {KojiTaskColumns} FROM {KojiTaskTable} WHERE task_id = @task_id{(forUpdate ? LockClause : "")}");
        Add(command, "task_id", taskId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadKojiTask(reader) : null;
    }

    private KojiTaskRecord ReadKojiTask(DbDataReader reader) => new()
    {
        TaskId = reader.GetInt64(0),
        Method = reader.GetString(1),
        Stage = Enum.Parse<KojiTaskStage>(reader.GetString(2), ignoreCase: true),
        Request = JsonColumns.ReadArray(NullableString(reader, 3)),
        ComposeId = reader.IsDBNull(4) ? null : reader.GetGuid(4),
        Data = JsonColumns.ReadObject(NullableString(reader, 5)),
        FaultCode = reader.IsDBNull(6) ? null : reader.GetInt32(6),
        FaultString = NullableString(reader, 7),
        CreatedAt = ReadTime(reader, 8),
        UpdatedAt = ReadTime(reader, 9),
        FinishedAt = NullableTime(reader, 10),
    };
}
