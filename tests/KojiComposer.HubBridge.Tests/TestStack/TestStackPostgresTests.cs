using KojiComposer.Testing;
using Npgsql;
using Xunit;

namespace KojiComposer.HubBridge.Tests;

// Namespace without the folder name: a namespace "...Tests.TestStack" would hide the KojiComposer.Testing.TestStack
// class from the tests in it.
public sealed class TestStackPostgresTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task PostgresFixture_RoundTripsRows_InItsOwnDatabase()
    {
        await using var connection = await database.OpenConnectionAsync();

        Assert.Equal(database.DatabaseName, await ScalarAsync<string>(connection, "SELECT current_database()"));
        await ExecuteAsync(connection, "CREATE TABLE composes (id serial PRIMARY KEY, name text NOT NULL)");
        await ExecuteAsync(connection, "INSERT INTO composes (name) VALUES ('fedora-42-qcow2'), ('fedora-42-ami')");
        var names = new List<string>();
        await using (var command = new NpgsqlCommand("SELECT name FROM composes ORDER BY id", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
        }

        Assert.Equal(["fedora-42-qcow2", "fedora-42-ami"], names);
    }

    [Fact]
    public async Task PostgresFixture_GivesEachTestClassItsOwnDatabase()
    {
        var other = new PostgresDatabaseFixture();
        await other.InitializeAsync();
        try
        {
            Assert.NotEqual(database.DatabaseName, other.DatabaseName);
            await using (var mine = await database.OpenConnectionAsync())
            {
                await ExecuteAsync(mine, "CREATE TABLE only_in_mine (id int)");
            }

            await using var theirs = await other.OpenConnectionAsync();
            Assert.Equal(other.DatabaseName, await ScalarAsync<string>(theirs, "SELECT current_database()"));
            Assert.Equal(0L, await ScalarAsync<long>(theirs, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_mine'"));
        }
        finally
        {
            await other.DisposeAsync();
        }
    }

    [Fact]
    public async Task PostgresFixture_DropsItsDatabase_WhenDisposedWithConnectionsOpen()
    {
        var fixture = new PostgresDatabaseFixture();
        await fixture.InitializeAsync();
        // A connection the test forgot to close must not keep the database alive.
        await using var leaked = await fixture.OpenConnectionAsync();
        Assert.True(await DatabaseExistsAsync(fixture.DatabaseName));

        await fixture.DisposeAsync();

        Assert.False(await DatabaseExistsAsync(fixture.DatabaseName));
        Assert.Throws<InvalidOperationException>(() => fixture.ConnectionString);
    }

    [Fact]
    public async Task PostgresServer_AllowsTwoHundredConnections_ForHangfireWorkers()
    {
        await using var connection = await database.OpenConnectionAsync();

        Assert.Equal("200", await ScalarAsync<string>(connection, "SHOW max_connections"));
    }

    private static async Task<bool> DatabaseExistsAsync(string name)
    {
        await using var server = new NpgsqlConnection(TestStack.PostgresConnectionString);
        await server.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = $1", server);
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        return (long)(await command.ExecuteScalarAsync())! == 1;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
