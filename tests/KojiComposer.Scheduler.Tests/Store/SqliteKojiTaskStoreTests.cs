using KojiComposer.Scheduler.Hosting;
using KojiComposer.Scheduler.Store;
using Microsoft.Data.Sqlite;

namespace KojiComposer.Scheduler.Tests.Store;

/// <summary>The Koji task records on the embedded store: a new file per test.</summary>
public sealed class SqliteKojiTaskStoreTests : KojiTaskStoreConformanceTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "kc-tasks-" + Guid.NewGuid().ToString("N"));

    protected override IComposeStore CreateStore() =>
        ComposeStoreFactory.Create(new StoreSettings { Kind = StoreKind.Embedded, EmbeddedPath = Path.Combine(_directory, "kojicomposer.db") });

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
