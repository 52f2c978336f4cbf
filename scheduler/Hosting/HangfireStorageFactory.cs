using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;

namespace KojiComposer.Scheduler.Hosting;

/// <summary>Makes the Hangfire storage that goes with the compose store.</summary>
internal static class HangfireStorageFactory
{
    public static JobStorage Create(StoreSettings store, EngineSettings engine) => store.Kind switch
    {
        StoreKind.Postgres => new PostgreSqlStorage(
            new NpgsqlConnectionFactory(
                store.PostgresConnectionString ?? throw new ArgumentException("a PostgreSQL store needs a connection string", nameof(store)),
                PostgresOptions(store, engine)),
            PostgresOptions(store, engine)),
        // The embedded mode's queue lives in memory; the compose store (SQLite) is the durable record and the
        // reconciler re-enqueues every ready step after a restart (docs/embedded-store.md says why this and not
        // Hangfire.Storage.SQLite). Guid ids: job ids from before a restart can never name a new job.
        _ => new InMemoryStorage(new InMemoryStorageOptions { IdType = InMemoryStorageIdType.Guid }),
    };

    private static PostgreSqlStorageOptions PostgresOptions(StoreSettings store, EngineSettings engine) => new()
    {
        SchemaName = store.HangfireSchema,
        PrepareSchemaIfNecessary = true,
        // hangfire-dispatch.md: 200 ms polling gives a sub-second hand-off without long polling's stalls.
        QueuePollInterval = engine.QueuePollInterval,
        // Sliding: a fetched job's invisibility is renewed while it runs, so a multi-hour build is never fetched
        // again by another worker while it still runs; only a dead worker's job comes back, after this timeout.
        UseSlidingInvisibilityTimeout = true,
        InvisibilityTimeout = engine.InvisibilityTimeout,
    };
}
