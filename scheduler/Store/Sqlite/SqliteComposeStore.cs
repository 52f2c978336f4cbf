using System.Data.Common;
using KojiComposer.Scheduler.Store.Relational;
using Microsoft.Data.Sqlite;

namespace KojiComposer.Scheduler.Store.Sqlite;

/// <summary>
/// The embedded compose store: one SQLite file in WAL mode, for the all-in-one service (one process). Every write
/// is a <c>BEGIN IMMEDIATE</c> transaction, which takes the file's write lock at its start, so writers are
/// serialized and the fan-in's marker, decrement and finalize claim are atomic; readers go on beside them (WAL).
/// Each commit is durable before it returns (synchronous FULL), so a restarted process continues where the
/// previous one stopped.
/// </summary>
internal sealed partial class SqliteComposeStore : RelationalComposeStore, IDisposable, IAsyncDisposable
{
    /// <summary>How long a writer waits for another one (busy_timeout), in milliseconds.</summary>
    private const int BusyTimeoutMilliseconds = 30_000;

    private readonly string _path;
    private readonly string _connectionString;

    /// <summary>Creates the store on <paramref name="path"/>; the file (and its directory) is made by
    /// <see cref="MigrateAsync"/> or the first use.</summary>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    public SqliteComposeStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        }.ConnectionString;
    }

    /// <inheritdoc />
    protected override string ComposeTable => "compose";

    /// <inheritdoc />
    protected override string ImageTable => "compose_image";

    /// <inheritdoc />
    protected override string KojiTaskTable => "koji_task";

    /// <inheritdoc />
    protected override string LockClause => "";

    /// <inheritdoc />
    protected override string PositionFunction => "instr";

    /// <inheritdoc />
    protected override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await OpenAsync(cancellationToken).ConfigureAwait(false);

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var directory = System.IO.Path.GetDirectoryName(_path);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA foreign_keys = ON;";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"cannot open the compose store {_path}: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    protected override ValueTask<DbTransaction> BeginAsync(DbConnection connection, bool write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // deferred: false is BEGIN IMMEDIATE: the write lock is taken now (waiting up to busy_timeout), never
        // upgraded later, so two writers cannot both read the old countdown.
        return ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: !write));
    }

    /// <inheritdoc />
    protected override object TimeValue(DateTimeOffset value) => ToMicroseconds(value);

    /// <inheritdoc />
    protected override object IdValue(Guid value) => value.ToString("D");

    /// <inheritdoc />
    protected override void MarkJson(DbParameter parameter) => ((SqliteParameter)parameter).SqliteType = SqliteType.Text;

    /// <inheritdoc />
    protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) =>
        DateTimeOffset.UnixEpoch.AddTicks(reader.GetInt64(ordinal) * 10);

    /// <summary>Times are stored as microseconds since the Unix epoch (UTC), like PostgreSQL's precision.</summary>
    private static long ToMicroseconds(DateTimeOffset value) => (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    /// <summary>Closes the pooled connections of this file.</summary>
    public void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
