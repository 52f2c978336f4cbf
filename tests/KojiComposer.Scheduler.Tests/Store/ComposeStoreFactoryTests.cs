using KojiComposer.Scheduler.Hosting;
using KojiComposer.Scheduler.Store;

namespace KojiComposer.Scheduler.Tests.Store;

public sealed class ComposeStoreFactoryTests
{
    [Fact]
    public void Create_NamesTheMissingConnectionString_ForPostgres()
    {
        var error = Assert.Throws<ArgumentException>(() => ComposeStoreFactory.Create(new StoreSettings { Kind = StoreKind.Postgres }));

        Assert.Contains("postgres_connection_string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_NamesTheMissingPath_ForTheEmbeddedStore()
    {
        var error = Assert.Throws<ArgumentException>(() => ComposeStoreFactory.Create(new StoreSettings { Kind = StoreKind.Embedded, EmbeddedPath = "" }));

        Assert.Contains("embedded_path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ReturnsTheStoreOfTheKind()
    {
        var embedded = ComposeStoreFactory.Create(new StoreSettings { Kind = StoreKind.Embedded, EmbeddedPath = "/tmp/kc-never-opened.db" });
        var postgres = ComposeStoreFactory.Create(new StoreSettings { Kind = StoreKind.Postgres, PostgresConnectionString = "Host=127.0.0.1;Username=x" });

        Assert.Equal("SqliteComposeStore", embedded.GetType().Name);
        Assert.Equal("PostgresComposeStore", postgres.GetType().Name);
        ((IDisposable)postgres).Dispose();
    }
}
