using KojiComposer.Scheduler.Hosting;
using KojiComposer.Scheduler.Store;
using KojiComposer.Testing;

namespace KojiComposer.Scheduler.Tests.Store;

/// <summary>The Koji task records on the test stack's PostgreSQL: one database per class, one schema per test.</summary>
public sealed class PostgresKojiTaskStoreTests(PostgresDatabaseFixture database) : KojiTaskStoreConformanceTests, IClassFixture<PostgresDatabaseFixture>
{
    private readonly string _schema = "kt_" + Guid.NewGuid().ToString("N");

    protected override IComposeStore CreateStore() => ComposeStoreFactory.Create(new StoreSettings
    {
        Kind = StoreKind.Postgres,
        PostgresConnectionString = database.ConnectionString,
        PostgresSchema = _schema,
    });
}
