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
    /// <summary>The compose table's name as SQL (schema-qualified and quoted where needed).</summary>
    protected abstract string ComposeTable { get; }

    /// <summary>The image table's name as SQL.</summary>
    protected abstract string ImageTable { get; }

    /// <summary>The Koji task table's name as SQL.</summary>
    protected abstract string KojiTaskTable { get; }

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

    /// <summary>Loads every compose (with its images) matching <paramref name="where"/>, in
    /// <paramref name="orderBy"/>'s order, without locking.</summary>
    protected async Task<List<ComposeRow>> LoadAllAsync(DbTransaction transaction, string where, Action<DbCommand> bind, string orderBy, CancellationToken cancellationToken)
    {
        var rows = new List<ComposeRow>();
        var byId = new Dictionary<Guid, ComposeRow>();
        await using (var command = Command(transaction, $"SELECT {ComposeColumns} FROM {ComposeTable} WHERE {where} ORDER BY {orderBy}"))
        {
            bind(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var row = ReadCompose(reader);
                rows.Add(row);
                byId[row.Id] = row;
            }
        }

        if (rows.Count == 0)
        {
            return rows;
        }

        await using (var command = Command(transaction, $"SELECT {ImageColumns} FROM {ImageTable} WHERE compose_id IN (SELECT id FROM {ComposeTable} WHERE {where}) ORDER BY compose_id, idx"))
        {
            bind(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (byId.TryGetValue(reader.GetGuid(0), out var row))
                {
                    row.Images.Add(ReadImage(reader));
                }
            }
        }

        return rows;
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
