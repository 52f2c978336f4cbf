namespace KojiComposer.Config.Tests;

public sealed class ServiceSectionTests
{
    private const string F = ConfigAssert.File;

    private const string PostgreSql = "\n[store]\nkind = \"postgresql\"\nconnection_string = \"Host=db;Database=kojicomposer\"\n";

    [Fact]
    public void Parse_RunsAllThreeRoles_WhenServiceSectionIsAbsent()
    {
        var options = ConfigAssert.Parses(ConfigAssert.HubSection);

        Assert.Equal([ServiceRole.Scheduler, ServiceRole.Builder, ServiceRole.HubBridge], options.Service.Roles);
        Assert.Equal(Environment.MachineName, options.Service.ServerName);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Service.ShutdownGrace);
    }

    [Fact]
    public void Parse_ReadsEveryKey_WhenAllAreGiven()
    {
        var options = ConfigAssert.Parses("""
            [service]
            roles = ["hub-bridge", "scheduler"]
            server_name = "sched1"
            shutdown_grace_seconds = 90
            """ + ConfigAssert.HubSection);

        Assert.Equal([ServiceRole.HubBridge, ServiceRole.Scheduler], options.Service.Roles);
        Assert.True(options.Service.Runs(ServiceRole.Scheduler));
        Assert.False(options.Service.Runs(ServiceRole.Builder));
        Assert.Equal("sched1", options.Service.ServerName);
        Assert.Equal(TimeSpan.FromSeconds(90), options.Service.ShutdownGrace);
    }

    [Fact]
    public void Parse_SuggestsClosestRole_WhenRoleIsUnknown()
    {
        var line = ConfigAssert.FailsOnce("[service]\nroles = [\"scheduler\", \"bulider\"]\n" + ConfigAssert.HubSection);

        Assert.Equal($"{F}:2: service.roles: unknown role \"bulider\"; roles are \"scheduler\", \"builder\", \"hub-bridge\"; did you mean \"builder\"?", line);
    }

    [Fact]
    public void Parse_RefusesRoles_WhenEmptyOrRepeatedOrNotStrings()
    {
        Assert.Equal(
            $"{F}:2: service.roles: must name at least one role: \"scheduler\", \"builder\", \"hub-bridge\"",
            ConfigAssert.FailsOnce("[service]\nroles = []\n" + ConfigAssert.HubSection));
        Assert.Equal(
            $"{F}:2: service.roles: lists \"builder\" twice",
            ConfigAssert.FailsOnce("[service]\nroles = [\"scheduler\", \"builder\", \"builder\"]\n" + ConfigAssert.HubSection));
        Assert.Equal(
            $"{F}:2: service.roles: expected an array of strings, got an array holding an integer",
            ConfigAssert.FailsOnce("[service]\nroles = [\"scheduler\", 3]\n" + ConfigAssert.HubSection));
        Assert.Equal(
            $"{F}:2: service.roles: expected an array of strings, got a string",
            ConfigAssert.FailsOnce("[service]\nroles = \"scheduler\"\n" + ConfigAssert.HubSection));
    }

    [Fact]
    public void Parse_RefusesShutdownGrace_WhenOutOfRange()
    {
        var line = ConfigAssert.FailsOnce("[service]\nshutdown_grace_seconds = 7200\n" + ConfigAssert.HubSection);

        Assert.Equal($"{F}:2: service.shutdown_grace_seconds: must be between 0 and 3600 seconds, got 7200", line);
    }

    [Fact]
    public void Parse_LeavesHubOut_WhenBuilderOnlyProcessHasNoHubSection()
    {
        var options = ConfigAssert.Parses("[service]\nroles = [\"builder\"]\n[builder]\narches = [\"x86_64\"]\n" + PostgreSql);

        Assert.Null(options.Hub);
        var error = Assert.Single(Assert.Throws<ConfigurationException>(() => options.RequireHub()).Errors);
        Assert.Equal($"{F}: hub.url: required key is missing (this needs the Koji hub; a builder-only configuration may leave [hub] out, but not here)", error.ToString());
    }

    [Fact]
    public void Parse_StillChecksHub_WhenBuilderOnlyProcessHasOne()
    {
        var line = ConfigAssert.FailsOnce("[service]\nroles = [\"builder\"]\n[builder]\narches = [\"x86_64\"]\n[hub]\nurl = \"koji\"\n" + ConfigAssert.Identities + PostgreSql);

        Assert.Equal($"{F}:6: hub.url: must be an absolute http or https URL, got \"koji\"", line);
    }

    [Theory]
    [InlineData("scheduler")]
    [InlineData("hub-bridge")]
    public void Parse_RequiresHub_WhenRoleTalksToTheHub(string role)
    {
        var lines = ConfigAssert.Fails($"[service]\nroles = [\"{role}\"]\n" + PostgreSql);

        Assert.Equal($"{F}: hub.url: required key is missing", lines[0]);
    }

    [Fact]
    public void Parse_RefusesEmbeddedStore_WhenProcessDoesNotRunTheScheduler()
    {
        var line = ConfigAssert.FailsOnce("[service]\nroles = [\"builder\"]\n[builder]\narches = [\"x86_64\"]\n");

        Assert.Equal(
            $"{F}:2: service.roles: must include \"scheduler\" with store.kind = \"embedded\" (one process's SQLite file); a builder or hub-bridge on its own needs store.kind = \"postgresql\"",
            line);
    }

    [Fact]
    public void Parse_SuggestsKey_WhenServiceKeyIsMisspelt()
    {
        var line = ConfigAssert.FailsOnce("[service]\nrole = [\"builder\"]\n" + ConfigAssert.HubSection);

        Assert.Equal($"{F}:2: service.role: unknown key; did you mean roles?", line);
    }
}
