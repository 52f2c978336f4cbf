using Npgsql;
using Xunit;

namespace KojiComposer.Testing;

/// <summary>
/// A fresh, uniquely named database on the test stack's PostgreSQL server, dropped again at the end. Use it as an
/// <c>IClassFixture</c> so every test class has its own database: a Hangfire server in one class otherwise takes
/// jobs another class enqueued.
/// </summary>
public sealed class PostgresDatabaseFixture : IAsyncLifetime
{
    private string? _connectionString;

    /// <summary>The database's name, <c>kc_test_&lt;32 hex digits&gt;</c>.</summary>
    public string DatabaseName { get; } = "kc_test_" + Guid.NewGuid().ToString("N");

    /// <summary>Npgsql connection string of this fixture's database.</summary>
    /// <exception cref="InvalidOperationException">The fixture has not been initialised.</exception>
    public string ConnectionString =>
        _connectionString ?? throw new InvalidOperationException("the database fixture is not initialised yet");

    /// <summary>Opens a connection to this fixture's database.</summary>
    public async Task<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = new NpgsqlConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var server = TestStack.PostgresConnectionString;
        // DatabaseName is generated (letters, digits, '_'), so it is safe to splice into the statement.
        await ExecuteAsync(server, $"CREATE DATABASE \"{DatabaseName}\"");
        _connectionString = new NpgsqlConnectionStringBuilder(server) { Database = DatabaseName }.ConnectionString;
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_connectionString is null)
        {
            return;
        }

        // Idle pooled connections would keep the database busy; WITH (FORCE) terminates whatever is still
        // connected (a test's leaked connection, a Hangfire worker) before dropping it (PostgreSQL 13+).
        using (var pooled = new NpgsqlConnection(_connectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        await ExecuteAsync(TestStack.PostgresConnectionString, $"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)");
        _connectionString = null;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        // No pooling: the fixture's own administrative connections must not linger on the server.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
