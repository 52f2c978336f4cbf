using Hangfire;
using KojiComposer.Scheduler.Hosting;
using KojiComposer.Scheduler.Store;
using KojiComposer.Testing;
using Npgsql;

namespace KojiComposer.Scheduler.Tests.Engine;

/// <summary>Where an engine test keeps its state: a fresh, isolated store and the Hangfire storage that goes
/// with it (settings as the service would have them, so a child process can open the same ones).</summary>
public abstract class EngineBackend : IDisposable
{
    /// <summary>The settings of this test's store.</summary>
    public abstract StoreSettings Settings { get; }

    /// <summary>Opens the store (migrated). Call again to simulate a restarted process.</summary>
    public async Task<IComposeStore> OpenStoreAsync()
    {
        var store = ComposeStoreFactory.Create(Settings);
        await store.MigrateAsync(CancellationToken.None);
        return store;
    }

    /// <summary>Opens Hangfire's storage. For the embedded store this is a new, empty in-memory queue each time,
    /// as after a restart.</summary>
    public JobStorage OpenJobStorage() => HangfireStorageFactory.Create(Settings, TestEngineHost.FastSettings);

    public virtual void Dispose()
    {
        GC.SuppressFinalize(this);
    }
}

/// <summary>A SQLite file in a temporary directory, deleted afterwards.</summary>
public sealed class EmbeddedBackend : EngineBackend
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kc-engine-").FullName;

    public override StoreSettings Settings => new() { Kind = StoreKind.Embedded, EmbeddedPath = Path.Combine(_directory, "kojicomposer.db") };

    public override void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        base.Dispose();
    }
}

/// <summary>Own schemas (compose and Hangfire) in the test class's PostgreSQL database, so tests in one class
/// never take each other's jobs.</summary>
public sealed class PostgresBackend(PostgresDatabaseFixture database) : EngineBackend
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..10];

    public override StoreSettings Settings => new()
    {
        Kind = StoreKind.Postgres,
        PostgresConnectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = 60 }.ConnectionString,
        PostgresSchema = "kc_" + _suffix,
        HangfireSchema = "hf_" + _suffix,
    };
}
