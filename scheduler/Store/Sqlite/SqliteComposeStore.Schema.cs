using System.Globalization;
using KojiComposer.Scheduler.Store.Relational;

namespace KojiComposer.Scheduler.Store.Sqlite;

/// <summary>Migrations: WAL mode, then the versions missing from <c>schema_version</c> in one write transaction.</summary>
internal sealed partial class SqliteComposeStore
{
    private static readonly Dictionary<string, string> Types = new()
    {
        ["uuid"] = "TEXT",
        ["json"] = "TEXT",
        ["time"] = "INTEGER",
        ["bool"] = "INTEGER",
        ["int32"] = "INTEGER",
        ["int64"] = "INTEGER",
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
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = connection.CreateCommand())
        {
            // WAL lets readers run beside the writer; the mode is kept in the file. It cannot change inside a
            // transaction, hence before the migration's.
            command.CommandText = "PRAGMA journal_mode = WAL;";
            var mode = Convert.ToString(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"the compose store {_path} cannot use WAL journaling (journal mode stays {mode})");
            }
        }

        // BEGIN IMMEDIATE: a second process (or store) migrating at the same time waits, then finds the work done.
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using (var command = Command(transaction, """
            CREATE TABLE IF NOT EXISTS schema_version (
                version INTEGER PRIMARY KEY,
                applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
            )
            """))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        int current;
        await using (var command = Command(transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_version"))
        {
            current = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        if (current > ComposeSchema.Migrations.Count)
        {
            throw new InvalidOperationException($"the compose store {_path} is at schema version {current}, newer than this program knows ({ComposeSchema.Migrations.Count}): upgrade KojiComposer");
        }

        for (var version = current + 1; version <= target; version++)
        {
            await using (var command = Command(transaction, ComposeSchema.Render(ComposeSchema.Migrations[version - 1], "", Types)))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var command = Command(transaction, "INSERT INTO schema_version (version) VALUES (@version)"))
            {
                Add(command, "version", version);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
