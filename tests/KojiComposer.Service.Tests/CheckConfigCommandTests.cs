namespace KojiComposer.Service.Tests;

public sealed class CheckConfigCommandTests
{
    [Fact]
    public async Task CheckConfig_PrintsRolesStoreAndListen_AndExitsZero_WhenValid()
    {
        using var config = ServiceConfig.AllInOne("http://127.0.0.1:8700");

        var run = await CommandRun.RunAsync("check-config", "--config", config.Path);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("", run.Error);
        Assert.Equal($"{config.Path}: OK", run.OutLines[0]);
        Assert.Contains("  roles:   scheduler, builder, hub-bridge", run.OutLines);
        Assert.Contains($"  store:   embedded, {config.Directory}/kojicomposer.db", run.OutLines);
        Assert.Contains("  listen:  http://127.0.0.1:8700", run.OutLines);
        Assert.Contains("  hub:     https://koji.example.com/kojihub", run.OutLines);
    }

    [Fact]
    public async Task CheckConfig_ShowsHostAndDatabaseButNeverThePassword_ForPostgreSql()
    {
        using var config = new ServiceConfig($"""
            [service]
            roles = ["builder"]
            [builder]
            arches = ["x86_64", "aarch64"]
            workers = 2
            {ServiceConfig.Tools}
            [store]
            kind = "postgresql"
            connection_string_file = "{"{dir}"}/db.conn"
            """);
        File.WriteAllText(Path.Combine(config.Directory, "db.conn"), "Host=db.example.com;Database=kc;Username=kc;Password=s3cret-pw\n");

        var run = await CommandRun.RunAsync("check-config", "--config", config.Path);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("  roles:   builder", run.OutLines);
        Assert.Contains($"  store:   postgresql, host db.example.com, database kc, schemas kojicomposer and hangfire (connection string from {config.Directory}/db.conn)", run.OutLines);
        Assert.Contains("  builds:  x86_64, aarch64 (2 workers)", run.OutLines);
        Assert.Contains("  listen:  none (the scheduler role does not run here)", run.OutLines);
        Assert.DoesNotContain("s3cret", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConfig_ListsEveryProblemOnStderr_AndExitsThree_WhenInvalid()
    {
        using var config = new ServiceConfig("[service]\nroles = [\"schedular\"]\n[scheduler]\nlease_renew_seconds = 300\n" + ServiceConfig.Hub);

        var run = await CommandRun.RunAsync("check-config", "--config", config.Path);

        Assert.Equal(ExitCodes.Configuration, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Equal(
            [
                $"kojicomposerd check-config: {config.Path}: 2 problems in the configuration:",
                $"{config.Path}:2: service.roles: unknown role \"schedular\"; roles are \"scheduler\", \"builder\", \"hub-bridge\"; did you mean \"scheduler\"?",
                $"{config.Path}:4: scheduler.lease_renew_seconds: scheduler.lease_renew_seconds (300) must be less than scheduler.lease_seconds (120), or every lease expires between renewals",
            ],
            run.ErrorLines);
    }

    [Fact]
    public async Task CheckConfig_ExitsThree_WhenTheFileIsMissing()
    {
        var path = Path.Combine(Path.GetTempPath(), "kojicomposer-missing-" + Guid.NewGuid().ToString("N") + ".toml");

        var run = await CommandRun.RunAsync("check-config", "--config", path);

        Assert.Equal(ExitCodes.Configuration, run.ExitCode);
        Assert.Equal($"{path}: cannot read config file: No such file or directory", run.ErrorLines[^1]);
    }

    [Fact]
    public async Task UnknownCommand_ExitsWithUsage()
    {
        var run = await CommandRun.RunAsync("srve");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("Try 'kojicomposerd --help'.", run.ErrorLines);
    }
}
