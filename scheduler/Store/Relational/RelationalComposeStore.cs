using System.Data.Common;
using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Store.Relational;

/// <summary>
/// The <see cref="IComposeStore"/> rules over ADO.NET, shared by the PostgreSQL and the SQLite store. Each write
/// operation is one transaction that locks the compose (<see cref="LockClause"/> or a write transaction that
/// serializes writers), loads it with its images, applies <see cref="ComposeRules"/> and writes back what changed.
/// The subclasses supply connections, transactions, the schema and the few type mappings that differ.
/// </summary>
internal abstract partial class RelationalComposeStore : IComposeStore
{
    /// <summary>Columns of the compose table, in the order <see cref="ReadCompose"/> reads them.</summary>
    private const string ComposeColumns =
        "id, name, version, release, distribution, koji_task_id, koji_server, customizations, request, seed, submitted_by, " +
        "state, cancel_requested, generation, remaining, finalize_claimed, row_version, " +
        "init_state, init_error, reservation_build_id, reservation_token, " +
        "init_worker, init_lease_until, init_attempts, init_lost_workers, init_started_at, init_finished_at, init_job_id, init_enqueued_at, " +
        "finalize_state, finalize_error, finalize_result, " +
        "finalize_worker, finalize_lease_until, finalize_attempts, finalize_lost_workers, finalize_started_at, finalize_finished_at, finalize_job_id, finalize_enqueued_at, " +
        "created_at, updated_at, finished_at";

    /// <summary>Columns of the image table, in the order <see cref="ReadImage"/> reads them.</summary>
    private const string ImageColumns =
        "compose_id, idx, arch, image_type, image_request, state, progress, error, uploads, manifest, result, counted, " +
        "worker, lease_until, attempts, lost_workers, started_at, finished_at, job_id, enqueued_at";

    /// <summary>The compose table's name as SQL (schema-qualified and quoted where needed).</summary>
    protected abstract string ComposeTable { get; }

    /// <summary>The image table's name as SQL.</summary>
    protected abstract string ImageTable { get; }

    /// <summary>Appended to the compose's load in a write transaction: <c> FOR UPDATE</c>, or empty where the
    /// write transaction itself excludes other writers.</summary>
    protected abstract string LockClause { get; }

    /// <summary>The SQL function that finds text in text, <c>f(haystack, needle) &gt; 0</c>.</summary>
    protected abstract string PositionFunction { get; }

    /// <inheritdoc />
    public abstract Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Opens a connection ready for use.</summary>
    protected abstract ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Begins a transaction: a write transaction excludes other writers of the same compose until it ends;
    /// a read transaction sees one snapshot.</summary>
    protected abstract ValueTask<DbTransaction> BeginAsync(DbConnection connection, bool write, CancellationToken cancellationToken);

    /// <summary>Binds a time value.</summary>
    protected abstract object TimeValue(DateTimeOffset value);

    /// <summary>Binds a compose id.</summary>
    protected abstract object IdValue(Guid value);

    /// <summary>Sets a parameter's type for JSON text (e.g. <c>jsonb</c>).</summary>
    protected abstract void MarkJson(DbParameter parameter);

    /// <summary>Reads a time column.</summary>
    protected abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    /// <inheritdoc />
    public async Task<Compose?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await BeginAsync(connection, write: false, cancellationToken).ConfigureAwait(false);
        var row = await LoadAsync(transaction, "id = @id", cmd => Add(cmd, "id", id), forUpdate: false, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return row?.ToModel();
    }

    /// <inheritdoc />
    public async Task<Compose?> FindByKojiTaskAsync(long kojiTaskId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await BeginAsync(connection, write: false, cancellationToken).ConfigureAwait(false);
        var row = await LoadAsync(transaction, "koji_task_id = @task", cmd => Add(cmd, "task", kojiTaskId), forUpdate: false, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return row?.ToModel();
    }

    /// <inheritdoc />
    public async Task MarkEnqueuedAsync(StepRef step, string jobId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        await WriteAsync(step.ComposeId, row =>
        {
            var lease = ComposeRules.LeaseOf(row, step);
            if (lease is null)
            {
                return (false, false);
            }

            lease.JobId = jobId;
            lease.EnqueuedAt = now;
            if (step.Kind == StepKind.Image)
            {
                row.Images[step.ImageIndex].Dirty = true;
            }

            return (true, true);
        }, notFound: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The write path of every state change: one transaction that locks and loads the compose, runs
    /// <paramref name="change"/> and, when it says so, saves the compose and its changed images before committing.
    /// </summary>
    /// <param name="composeId">The compose.</param>
    /// <param name="change">Returns (save, result); save = false writes nothing.</param>
    /// <param name="notFound">The result when the compose does not exist.</param>
    /// <param name="cancellationToken">Cancels the transaction.</param>
    protected async Task<T> WriteAsync<T>(Guid composeId, Func<ComposeRow, (bool Save, T Result)> change, T notFound, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await BeginAsync(connection, write: true, cancellationToken).ConfigureAwait(false);
        var row = await LoadAsync(transaction, "id = @id", cmd => Add(cmd, "id", composeId), forUpdate: true, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return notFound;
        }

        var (save, result) = change(row);
        if (save)
        {
            await SaveAsync(transaction, row, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>Loads one compose (with its images) matching <paramref name="where"/>, locking it when
    /// <paramref name="forUpdate"/>.</summary>
    protected async Task<ComposeRow?> LoadAsync(DbTransaction transaction, string where, Action<DbCommand> bind, bool forUpdate, CancellationToken cancellationToken)
    {
        ComposeRow? row;
        await using (var command = Command(transaction, $"SELECT {ComposeColumns} FROM {ComposeTable} WHERE {where}{(forUpdate ? LockClause : "")}"))
        {
            bind(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            row = ReadCompose(reader);
        }

        await using (var command = Command(transaction, $"SELECT {ImageColumns} FROM {ImageTable} WHERE compose_id = @id ORDER BY idx"))
        {
            Add(command, "id", row.Id);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                row.Images.Add(ReadImage(reader));
            }
        }

        return row;
    }

    /// <summary>Writes back a loaded compose's changeable columns and its changed images.</summary>
    private async Task SaveAsync(DbTransaction transaction, ComposeRow row, CancellationToken cancellationToken)
    {
        await using (var command = Command(transaction, $"""
            UPDATE {ComposeTable} SET
                state = @state, cancel_requested = @cancel_requested, generation = @generation, remaining = @remaining,
                finalize_claimed = @finalize_claimed, row_version = @row_version + 1,
                init_state = @init_state, init_error = @init_error, reservation_build_id = @reservation_build_id,
                reservation_token = @reservation_token,
                init_worker = @init_worker, init_lease_until = @init_lease_until, init_attempts = @init_attempts,
                init_lost_workers = @init_lost_workers, init_started_at = @init_started_at, init_finished_at = @init_finished_at,
                init_job_id = @init_job_id, init_enqueued_at = @init_enqueued_at,
                finalize_state = @finalize_state, finalize_error = @finalize_error, finalize_result = @finalize_result,
                finalize_worker = @finalize_worker, finalize_lease_until = @finalize_lease_until,
                finalize_attempts = @finalize_attempts, finalize_lost_workers = @finalize_lost_workers,
                finalize_started_at = @finalize_started_at, finalize_finished_at = @finalize_finished_at,
                finalize_job_id = @finalize_job_id, finalize_enqueued_at = @finalize_enqueued_at,
                updated_at = @updated_at, finished_at = @finished_at
            WHERE id = @id AND row_version = @row_version
            """))
        {
            BindMutableCompose(command, row);
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                // Cannot happen while the lock holds; refusing is better than a silent lost update.
                throw new InvalidOperationException($"compose {row.Id} changed under its lock");
            }
        }

        foreach (var image in row.Images.Where(i => i.Dirty))
        {
            await using var command = Command(transaction, $"""
                UPDATE {ImageTable} SET
                    state = @state, progress = @progress, error = @error, uploads = @uploads, manifest = @manifest,
                    result = @result, counted = @counted, worker = @worker, lease_until = @lease_until,
                    attempts = @attempts, lost_workers = @lost_workers, started_at = @started_at,
                    finished_at = @finished_at, job_id = @job_id, enqueued_at = @enqueued_at
                WHERE compose_id = @compose_id AND idx = @idx
                """);
            Add(command, "compose_id", row.Id);
            BindMutableImage(command, image);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        row.RowVersion++;
    }

    private void BindMutableCompose(DbCommand command, ComposeRow row)
    {
        Add(command, "id", row.Id);
        Add(command, "state", row.State.ToWire());
        Add(command, "cancel_requested", row.CancelRequested);
        Add(command, "generation", row.Generation);
        Add(command, "remaining", row.Remaining);
        Add(command, "finalize_claimed", row.FinalizeClaimed);
        Add(command, "row_version", row.RowVersion);
        Add(command, "init_state", row.InitState.ToWire());
        Add(command, "init_error", JsonColumns.Of(row.InitError));
        Add(command, "reservation_build_id", row.Reservation?.BuildId);
        Add(command, "reservation_token", row.Reservation?.Token);
        BindLease(command, "init_", row.Init);
        Add(command, "finalize_state", row.FinalizeState.ToWire());
        Add(command, "finalize_error", JsonColumns.Of(row.FinalizeError));
        Add(command, "finalize_result", row.FinalizeResult);
        BindLease(command, "finalize_", row.Finalize);
        Add(command, "updated_at", row.UpdatedAt);
        Add(command, "finished_at", row.FinishedAt);
    }

    private void BindMutableImage(DbCommand command, ImageRow image)
    {
        Add(command, "idx", image.Index);
        Add(command, "state", image.State.ToWire());
        Add(command, "progress", JsonColumns.Of(image.Progress));
        Add(command, "error", JsonColumns.Of(image.Error));
        Add(command, "uploads", JsonColumns.Of(image.Uploads));
        Add(command, "manifest", image.Manifest);
        Add(command, "result", image.Result);
        Add(command, "counted", image.Counted);
        BindLease(command, "", image.Lease);
    }

    private void BindLease(DbCommand command, string prefix, StepLease lease)
    {
        Add(command, prefix + "worker", lease.Worker);
        Add(command, prefix + "lease_until", lease.LeaseUntil);
        Add(command, prefix + "attempts", lease.Attempts);
        Add(command, prefix + "lost_workers", lease.LostWorkers);
        Add(command, prefix + "started_at", lease.StartedAt);
        Add(command, prefix + "finished_at", lease.FinishedAt);
        Add(command, prefix + "job_id", lease.JobId);
        Add(command, prefix + "enqueued_at", lease.EnqueuedAt);
    }

    private ComposeRow ReadCompose(DbDataReader reader)
    {
        var buildId = NullableInt64(reader, 19);
        var token = NullableString(reader, 20);
        var row = new ComposeRow
        {
            Id = reader.GetGuid(0),
            Name = reader.GetString(1),
            Version = reader.GetString(2),
            Release = reader.GetString(3),
            Distribution = reader.GetString(4),
            KojiTaskId = NullableInt64(reader, 5),
            KojiServer = NullableString(reader, 6),
            Customizations = JsonColumns.ReadObject(NullableString(reader, 7)),
            Request = JsonColumns.ReadObject(NullableString(reader, 8)),
            Seed = reader.GetInt64(9),
            SubmittedBy = NullableString(reader, 10),
            State = Enum.Parse<ComposeState>(reader.GetString(11), ignoreCase: true),
            CancelRequested = reader.GetBoolean(12),
            Generation = reader.GetInt32(13),
            Remaining = reader.GetInt32(14),
            FinalizeClaimed = reader.GetBoolean(15),
            RowVersion = reader.GetInt64(16),
            InitState = Enum.Parse<StepState>(reader.GetString(17), ignoreCase: true),
            InitError = JsonColumns.ReadError(NullableString(reader, 18)),
            Reservation = buildId is { } id && token is not null ? new Reservation(id, token) : null,
            FinalizeState = Enum.Parse<StepState>(reader.GetString(29), ignoreCase: true),
            FinalizeError = JsonColumns.ReadError(NullableString(reader, 30)),
            FinalizeResult = NullableString(reader, 31),
            CreatedAt = ReadTime(reader, 40),
            UpdatedAt = ReadTime(reader, 41),
            FinishedAt = NullableTime(reader, 42),
        };
        ReadLease(reader, 21, row.Init);
        ReadLease(reader, 32, row.Finalize);
        return row;
    }

    private ImageRow ReadImage(DbDataReader reader)
    {
        var image = new ImageRow
        {
            Index = reader.GetInt32(1),
            Arch = reader.GetString(2),
            ImageType = reader.GetString(3),
            ImageRequest = JsonColumns.ReadObject(reader.GetString(4))!,
            State = Enum.Parse<ImageState>(reader.GetString(5), ignoreCase: true),
            Progress = JsonColumns.ReadProgress(NullableString(reader, 6)),
            Error = JsonColumns.ReadError(NullableString(reader, 7)),
            Uploads = JsonColumns.ReadUploads(NullableString(reader, 8)),
            Manifest = NullableString(reader, 9),
            Result = NullableString(reader, 10),
            Counted = reader.GetBoolean(11),
        };
        ReadLease(reader, 12, image.Lease);
        return image;
    }

    /// <summary>Reads the eight lease columns starting at <paramref name="first"/> (worker ... enqueued_at).</summary>
    private void ReadLease(DbDataReader reader, int first, StepLease lease)
    {
        lease.Worker = NullableString(reader, first);
        lease.LeaseUntil = NullableTime(reader, first + 1);
        lease.Attempts = reader.GetInt32(first + 2);
        lease.LostWorkers = reader.GetInt32(first + 3);
        lease.StartedAt = NullableTime(reader, first + 4);
        lease.FinishedAt = NullableTime(reader, first + 5);
        lease.JobId = NullableString(reader, first + 6);
        lease.EnqueuedAt = NullableTime(reader, first + 7);
    }

    /// <summary>A command in <paramref name="transaction"/>.</summary>
    protected static DbCommand Command(DbTransaction transaction, string sql)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>Adds parameter <c>@name</c>: times, ids and JSON through the subclass's mapping, null as NULL.</summary>
    protected void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        switch (value)
        {
            case null:
                parameter.Value = DBNull.Value;
                break;
            case DateTimeOffset time:
                parameter.Value = TimeValue(time);
                break;
            case Guid id:
                parameter.Value = IdValue(id);
                break;
            case JsonText json:
                MarkJson(parameter);
                parameter.Value = json.Text is null ? DBNull.Value : json.Text;
                break;
            default:
                parameter.Value = value;
                break;
        }

        command.Parameters.Add(parameter);
    }

    protected static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    protected static long? NullableInt64(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    protected DateTimeOffset? NullableTime(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : ReadTime(reader, ordinal);
}
