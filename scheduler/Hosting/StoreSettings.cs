namespace KojiComposer.Scheduler.Hosting;

/// <summary>Which store holds composes and Hangfire's jobs.</summary>
public enum StoreKind
{
    /// <summary>One SQLite file, no server: the all-in-one default. Single process only.</summary>
    Embedded,

    /// <summary>PostgreSQL: composes and Hangfire share one database; builders on other machines connect to it.</summary>
    Postgres,
}

/// <summary>Where the scheduler keeps its state. Bound from the <c>[store]</c> section by the service.</summary>
public sealed record StoreSettings
{
    /// <summary>Which store.</summary>
    public StoreKind Kind { get; init; } = StoreKind.Embedded;

    /// <summary>Npgsql connection string, for <see cref="StoreKind.Postgres"/>. A secret when it has a password:
    /// never logged or shown.</summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>PostgreSQL schema of the compose tables.</summary>
    public string PostgresSchema { get; init; } = "kojicomposer";

    /// <summary>PostgreSQL schema of Hangfire's tables.</summary>
    public string HangfireSchema { get; init; } = "hangfire";

    /// <summary>The SQLite file, for <see cref="StoreKind.Embedded"/>.</summary>
    public string EmbeddedPath { get; init; } = "/var/lib/kojicomposer/kojicomposer.db";
}
