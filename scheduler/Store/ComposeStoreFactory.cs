using KojiComposer.Scheduler.Hosting;
using KojiComposer.Scheduler.Store.Postgres;
using KojiComposer.Scheduler.Store.Sqlite;

namespace KojiComposer.Scheduler.Store;

/// <summary>Makes the <see cref="IComposeStore"/> that <see cref="StoreSettings"/> names.</summary>
public static class ComposeStoreFactory
{
    /// <summary>Creates the store (without migrating it). The store owns its connections: dispose it
    /// (<see cref="IAsyncDisposable"/>) when the process stops.</summary>
    /// <exception cref="ArgumentException">The settings are incomplete for their kind.</exception>
    public static IComposeStore Create(StoreSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        switch (settings.Kind)
        {
            case StoreKind.Postgres:
                if (string.IsNullOrWhiteSpace(settings.PostgresConnectionString))
                {
                    throw new ArgumentException("store.kind is postgres, but store.postgres_connection_string is not set", nameof(settings));
                }

                if (string.IsNullOrWhiteSpace(settings.PostgresSchema))
                {
                    throw new ArgumentException("store.kind is postgres, but store.postgres_schema is empty", nameof(settings));
                }

                return new PostgresComposeStore(settings.PostgresConnectionString, settings.PostgresSchema);
            case StoreKind.Embedded:
                if (string.IsNullOrWhiteSpace(settings.EmbeddedPath))
                {
                    throw new ArgumentException("store.kind is embedded, but store.embedded_path is not set", nameof(settings));
                }

                return new SqliteComposeStore(settings.EmbeddedPath);
            default:
                throw new ArgumentException($"store.kind {settings.Kind} is not a known store", nameof(settings));
        }
    }
}
