using KojiComposer.Scheduler.Hosting;
using KojiComposer.Scheduler.Store;
using KojiComposer.Scheduler.Store.Postgres;
using KojiComposer.Testing;
using Npgsql;

namespace KojiComposer.Scheduler.Tests.Store;

/// <summary>The conformance suite on the test stack's PostgreSQL: one database per class, one schema per test.</summary>
public sealed class PostgresComposeStoreTests(PostgresDatabaseFixture database) : ComposeStoreConformanceTests, IClassFixture<PostgresDatabaseFixture>
{
    private readonly string _schema = "kc_" + Guid.NewGuid().ToString("N");

    protected override IComposeStore CreateStore() => ComposeStoreFactory.Create(new StoreSettings
    {
        Kind = StoreKind.Postgres,
        PostgresConnectionString = database.ConnectionString,
        PostgresSchema = _schema,
    });

    [Fact]
    public async Task Migrate_RecordsTheSchemaVersion_InTheConfiguredSchema()
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand($"SELECT array_agg(version ORDER BY version) FROM \"{_schema}\".schema_version", connection);

        var versions = (int[])(await command.ExecuteScalarAsync())!;

        Assert.Equal([1, 2], versions);
    }

    [Fact]
    public async Task Migrate_UpgradesAVersion1Schema_InPlace_KeepingItsComposes()
    {
        var schema = "kc_v1_" + Guid.NewGuid().ToString("N");
        var id = Guid.NewGuid();
        await using (var v1 = new PostgresComposeStore(database.ConnectionString, schema))
        {
            await v1.MigrateAsync(1, CancellationToken.None);
        }

        await using (var connection = await database.OpenConnectionAsync())
        {
            await StoreUpgrade.InsertComposeAsync(connection, $"\"{schema}\".", id, T0);
        }

        await using var store = new PostgresComposeStore(database.ConnectionString, schema);
        await store.MigrateAsync(CancellationToken.None);

        await StoreUpgrade.AssertUpgradedAsync(store, id, T0);
        await using var check = await database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand($"SELECT array_agg(version ORDER BY version) FROM \"{schema}\".schema_version", check);
        var versions = (int[])(await command.ExecuteScalarAsync())!;
        Assert.Equal([1, 2], versions);
    }

    [Fact]
    public async Task Create_KeepsJsonColumnsQueryable_AsJsonb()
    {
        await CreateAsync(kojiTask: 4711);
        await using var connection = await database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand($"SELECT customizations ->> 'hostname' FROM \"{_schema}\".compose WHERE koji_task_id = 4711", connection);

        Assert.Equal("cloud", await command.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData("Upper")]
    [InlineData("bad-name")]
    [InlineData("x\"; DROP SCHEMA public; --")]
    [InlineData("1starts_with_digit")]
    public void Create_RefusesASchemaName_ThatIsNotAPlainIdentifier(string schema)
    {
        var error = Assert.Throws<ArgumentException>(() => new PostgresComposeStore(database.ConnectionString, schema));

        Assert.Contains("postgres_schema", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_KeepsThePasswordOutOfTheError_WhenTheConnectionStringIsBad()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new PostgresComposeStore("Host=db;Password=hunter2-secret;Bogus Key=1", "kojicomposer"));

        Assert.DoesNotContain("hunter2-secret", error.ToString(), StringComparison.Ordinal);
    }
}
