using System.Data;
using System.Data.Common;
using System.Text.RegularExpressions;
using KojiComposer.Scheduler.Store.Relational;
using Npgsql;
using NpgsqlTypes;

namespace KojiComposer.Scheduler.Store.Postgres;

/// <summary>
/// The compose store on PostgreSQL: tables <c>compose</c> and <c>compose_image</c> in their own schema (default
/// <c>kojicomposer</c>), shared by every scheduler and builder process of a deployment. Every write locks the
/// compose's row (<c>SELECT ... FOR UPDATE</c>) for its transaction, so the fan-in's marker, decrement and guarded
/// finalize claim of concurrent image completions are serialized per compose while other composes go on in
/// parallel.
/// </summary>
internal sealed partial class PostgresComposeStore : RelationalComposeStore, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly string _prefix;

    /// <summary>Creates the store; connects only when used.</summary>
    /// <param name="connectionString">Npgsql connection string (a secret: never put into a message).</param>
    /// <param name="schema">Schema of the compose tables, <c>^[a-z_][a-z0-9_]*$</c>.</param>
    /// <exception cref="ArgumentException">The connection string cannot be parsed, or the schema name is not
    /// allowed.</exception>
    public PostgresComposeStore(string connectionString, string schema)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        if (string.IsNullOrEmpty(schema) || !SchemaName().IsMatch(schema) || schema.Length > 63)
        {
            throw new ArgumentException($"store.postgres_schema \"{schema}\" is not a valid schema name: use lower-case letters, digits and '_', starting with a letter or '_' (at most 63)", nameof(schema));
        }

        NpgsqlDataSourceBuilder builder;
        try
        {
            builder = new NpgsqlDataSourceBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            // Npgsql's message may quote the string, password included: say only what is wrong in general.
            throw new ArgumentException("the PostgreSQL connection string cannot be parsed", nameof(connectionString));
        }

        _dataSource = builder.Build();
        _schema = schema;
        _prefix = $"\"{schema}\".";
    }

    /// <inheritdoc />
    protected override string ComposeTable => _prefix + "compose";

    /// <inheritdoc />
    protected override string ImageTable => _prefix + "compose_image";

    /// <inheritdoc />
    protected override string KojiTaskTable => _prefix + "koji_task";

    /// <inheritdoc />
    protected override string LockClause => " FOR UPDATE";

    /// <inheritdoc />
    protected override string PositionFunction => "strpos";

    /// <inheritdoc />
    protected override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override async ValueTask<DbTransaction> BeginAsync(DbConnection connection, bool write, CancellationToken cancellationToken) =>
        // Writes: read committed plus the row lock. Reads: one snapshot for the compose and its images.
        await connection.BeginTransactionAsync(write ? IsolationLevel.ReadCommitted : IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override object TimeValue(DateTimeOffset value) => value.ToUniversalTime();

    /// <inheritdoc />
    protected override object IdValue(Guid value) => value;

    /// <inheritdoc />
    protected override void MarkJson(DbParameter parameter) => ((NpgsqlParameter)parameter).NpgsqlDbType = NpgsqlDbType.Jsonb;

    /// <inheritdoc />
    protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => _dataSource.Dispose();

    [GeneratedRegex("^[a-z_][a-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();
}
