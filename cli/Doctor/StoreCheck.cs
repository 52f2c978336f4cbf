using KojiComposer.Config;
using Npgsql;

namespace KojiComposer.Cli.Doctor;

/// <summary>
/// Check 6, <c>store</c>, when the service did not answer (its <c>/health</c> reports the store otherwise), from the
/// service config: the embedded store's directory exists and this user can write it; a PostgreSQL store takes a
/// connection. The connection string is never printed: only its host and database.
/// </summary>
internal static class StoreCheck
{
    public const string Name = "store";

    public static async Task RunAsync(DoctorRun run, CancellationToken cancellationToken)
    {
        if (run.Options is not { } options || run.ServiceReached)
        {
            return;
        }

        var store = options.Store;
        var result = store.Kind == StoreKind.Embedded
            ? Embedded(store.Path)
            : await PostgreSqlAsync(store, cancellationToken).ConfigureAwait(false);
        await run.AddAsync(result).ConfigureAwait(false);
    }

    private static CheckResult Embedded(string path)
    {
        var directory = Path.GetDirectoryName(path) ?? "/";
        if (!Directory.Exists(directory))
        {
            return CheckResult.Warn(Name, $"embedded store {path}: directory {directory} does not exist",
                $"kojicomposerd's unit creates it (StateDirectory=kojicomposer); started otherwise, create {directory} for the service's user, or set store.path");
        }

        var probe = Path.Combine(directory, $".kojicomposer-doctor-{Environment.ProcessId}");
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return CheckResult.Fail(Name, $"embedded store {path}: cannot write in {directory}: {e.Message}",
                $"make {directory} writable for the service's user (chown), or run doctor as that user");
        }

        var file = new FileInfo(path);
        return CheckResult.Ok(Name, $"embedded store {path}: directory writable, {(file.Exists ? $"database {file.Length} bytes" : "database not created yet (kojicomposerd creates it)")}");
    }

    private static async Task<CheckResult> PostgreSqlAsync(StoreOptions store, CancellationToken cancellationToken)
    {
        var where = $"PostgreSQL store ({StoreOptions.DescribeConnectionString(store.ConnectionString ?? "")})";
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(store.ConnectionString) { Timeout = 10, ApplicationName = "kojicomposer doctor", Pooling = false };
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT count(*) FROM information_schema.schemata WHERE schema_name = $1", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = store.Schema });
            var exists = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) > 0;
            return CheckResult.Ok(Name, $"{where}: connection opens (PostgreSQL {connection.PostgreSqlVersion}); schema {store.Schema} {(exists ? "exists" : "not created yet (kojicomposerd creates it)")}");
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException or TimeoutException)
        {
            return CheckResult.Fail(Name, $"{where}: {OneLine(e)}",
                "check that the server is up and that store.connection_string (or connection_string_file) names the right host, database and user");
        }
    }

    private static string OneLine(Exception e) =>
        (e.InnerException is { } inner && inner.Message != e.Message ? $"{e.Message} ({inner.Message})" : e.Message).ReplaceLineEndings(" ");
}
