using KojiComposer.Testing.Logging;
using KojiComposer.Config;
using KojiComposer.Service.Hosting;
using KojiComposer.Testing;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace KojiComposer.Service.Tests;

/// <summary>A builder machine: roles = ["builder"] against the test stack's PostgreSQL, no [hub], no listener.</summary>
public sealed class BuilderOnlyServeTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task ServiceHost_RunsBuilderOnlyOnPostgreSql_WithoutAListener_AndNeverLogsThePassword()
    {
        using var config = new ServiceConfig($"""
            [service]
            roles = ["builder"]
            shutdown_grace_seconds = 1
            [builder]
            arches = ["x86_64", "aarch64"]
            {ServiceConfig.Tools}
            [store]
            kind = "postgresql"
            connection_string_file = "{"{dir}"}/db.conn"
            schema = "kc_builder"
            hangfire_schema = "kc_builder_jobs"
            """);
        // The stack trusts loopback, so the server never asks for this password; it is there to be looked for in the logs.
        const string Password = "never-logged-s3cret";
        await File.WriteAllTextAsync(Path.Combine(config.Directory, "db.conn"), $"{database.ConnectionString};Password={Password}\n");
        var options = KojiComposerConfiguration.Load(config.Path);
        var logs = new CapturedLogs();

        await using (var host = ServiceHost.Build(options, logging => logging.AddProvider(logs)))
        {
            await host.StartAsync(CancellationToken.None);
            Assert.Empty(host.Addresses);
            await host.StopAsync();
        }

        // The store was migrated into the configured schemas (the builder process shares them with the scheduler).
        await using var connection = await database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM information_schema.schemata WHERE schema_name IN ('kc_builder', 'kc_builder_jobs')", connection);
        Assert.Equal(2L, await command.ExecuteScalarAsync());
        Assert.Contains("No web listener: the scheduler role does not run in this process", logs.Lines);
        Assert.Contains("Building for x86_64, aarch64 with 1 worker(s)", logs.Lines);
        Assert.DoesNotContain(logs.Lines, l => l.Contains(Password, StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains($"store postgresql, host ", StringComparison.Ordinal) && l.Contains($"database {database.DatabaseName}", StringComparison.Ordinal));
    }
}
