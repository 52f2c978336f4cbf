using KojiComposer.Scheduler.Hosting;
using KojiComposer.Scheduler.Store;
using KojiComposer.Scheduler.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace KojiComposer.Scheduler.Tests.Store;

/// <summary>The conformance suite on the embedded store: a new file per test, in a directory that does not exist
/// yet (the store makes it).</summary>
public sealed class SqliteComposeStoreTests : ComposeStoreConformanceTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "kc-store-" + Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_directory, "state", "kojicomposer.db");

    protected override IComposeStore CreateStore() =>
        ComposeStoreFactory.Create(new StoreSettings { Kind = StoreKind.Embedded, EmbeddedPath = DatabasePath });

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Migrate_CreatesTheFileInWalMode_WithTheSchemaVersion()
    {
        Assert.True(File.Exists(DatabasePath));
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var mode = connection.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode";
        await using var version = connection.CreateCommand();
        version.CommandText = "SELECT MAX(version) FROM schema_version";

        Assert.Equal("wal", (string?)await mode.ExecuteScalarAsync());
        Assert.Equal(2L, (long?)await version.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Migrate_UpgradesAVersion1File_InPlace_KeepingItsComposes()
    {
        var path = Path.Combine(_directory, "v1", "kojicomposer.db");
        var id = Guid.NewGuid();
        await using (var v1 = new SqliteComposeStore(path))
        {
            await v1.MigrateAsync(1, CancellationToken.None);
        }

        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await StoreUpgrade.InsertComposeAsync(connection, "", id.ToString("D"), (T0 - DateTimeOffset.UnixEpoch).Ticks / 10);
        }

        var store = ComposeStoreFactory.Create(new StoreSettings { Kind = StoreKind.Embedded, EmbeddedPath = path });
        try
        {
            await store.MigrateAsync(CancellationToken.None);

            await StoreUpgrade.AssertUpgradedAsync(store, id, T0);
        }
        finally
        {
            await ((IAsyncDisposable)store).DisposeAsync();
        }

        await using var check = new SqliteConnection($"Data Source={path};Pooling=False");
        await check.OpenAsync();
        await using var versions = check.CreateCommand();
        versions.CommandText = "SELECT group_concat(version, ',') FROM (SELECT version FROM schema_version ORDER BY version)";
        Assert.Equal("1,2", (string?)await versions.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Migrate_FailsNamingThePath_WhenTheFileCannotBeOpened()
    {
        // The parent "directory" is a file: neither the directory nor the database can be made.
        var blocker = Path.Combine(_directory, "blocker");
        await File.WriteAllTextAsync(blocker, "not a directory");
        var path = Path.Combine(blocker, "kojicomposer.db");
        var store = ComposeStoreFactory.Create(new StoreSettings { Kind = StoreKind.Embedded, EmbeddedPath = path });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.MigrateAsync(CancellationToken.None));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Store_EnforcesForeignKeys()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False;Foreign Keys=True");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO compose_image (compose_id, idx, arch, image_type, image_request, state, uploads, counted, attempts, lost_workers) VALUES ('00000000-0000-0000-0000-000000000001', 0, 'x86_64', 'guest-image', '{}', 'pending', '[]', 0, 0, 0)";

        await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync());
    }
}
