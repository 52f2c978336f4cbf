using System.Globalization;
using System.Text;
using KojiComposer.Scheduler.Store.Relational;
using Npgsql;

namespace KojiComposer.Scheduler.Store.Postgres;

/// <summary>Migrations: applied in one transaction under an advisory lock, recorded in <c>schema_version</c>.</summary>
internal sealed partial class PostgresComposeStore
{
    private static readonly Dictionary<string, string> Types = new()
    {
        ["uuid"] = "uuid",
        ["json"] = "jsonb",
        ["time"] = "timestamptz",
        ["bool"] = "boolean",
        ["int32"] = "integer",
        ["int64"] = "bigint",
    };

    /// <inheritdoc />
    public override Task MigrateAsync(CancellationToken cancellationToken) =>
        MigrateAsync(ComposeSchema.Migrations.Count, cancellationToken);

    /// <summary>Applies the migrations up to <paramref name="target"/> only: tests make a store of an older version
    /// with it, to upgrade it in place.</summary>
    internal async Task MigrateAsync(int target, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(target, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(target, ComposeSchema.Migrations.Count);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // One migrator per schema at a time, across processes: the others wait here, then find the work done.
        // The lock ends with the transaction, so a crashed migrator never leaves it held.
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            command.Parameters.AddWithValue("key", MigrationLockKey(_schema));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var command = new NpgsqlCommand($"""
            CREATE SCHEMA IF NOT EXISTS "{_schema}";
            CREATE TABLE IF NOT EXISTS {_prefix}schema_version (
                version integer PRIMARY KEY,
                applied_at timestamptz NOT NULL DEFAULT now()
            );
            """, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        int current;
        await using (var command = new NpgsqlCommand($"SELECT COALESCE(MAX(version), 0) FROM {_prefix}schema_version", connection, transaction))
        {
            current = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        if (current > ComposeSchema.Migrations.Count)
        {
            throw new InvalidOperationException($"the compose schema \"{_schema}\" is at version {current}, newer than this program knows ({ComposeSchema.Migrations.Count}): upgrade KojiComposer");
        }

        for (var version = current + 1; version <= target; version++)
        {
            var sql = ComposeSchema.Render(ComposeSchema.Migrations[version - 1], _prefix, Types);
            await using (var command = new NpgsqlCommand(sql, connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var command = new NpgsqlCommand($"INSERT INTO {_prefix}schema_version (version) VALUES (@version)", connection, transaction))
            {
                command.Parameters.AddWithValue("version", version);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A stable advisory-lock key per schema (FNV-1a of a fixed prefix and the name), so that stores in
    /// different schemas of one database do not wait for each other.</summary>
    internal static long MigrationLockKey(string schema)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes("kojicomposer.migrate:" + schema))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return unchecked((long)hash);
    }
}
