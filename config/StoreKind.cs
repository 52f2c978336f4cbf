namespace KojiComposer.Config;

/// <summary><c>[store] kind</c>: where composes and Hangfire's jobs are kept.</summary>
public enum StoreKind
{
    /// <summary><c>"embedded"</c>: one SQLite file, no server; one process only (the all-in-one service).</summary>
    Embedded,

    /// <summary><c>"postgresql"</c>: a PostgreSQL database that schedulers and builders on several machines share.</summary>
    PostgreSql,
}
