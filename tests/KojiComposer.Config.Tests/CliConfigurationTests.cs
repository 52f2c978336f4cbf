using KojiComposer.Config.Cli;

namespace KojiComposer.Config.Tests;

/// <summary>kojicomposer's profiles (cli.toml): the site's file, then the user's, merged key by key per profile.</summary>
public sealed class CliConfigurationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_ReadsTheShippedExample_WithBothProfiles()
    {
        var profiles = CliConfiguration.Load([Path.Combine(AppContext.BaseDirectory, "examples", "cli.toml")]);

        var koji = profiles["koji"];
        Assert.Equal(new Uri("https://koji.example.com/kojihub"), koji.Server);
        Assert.Equal(new Uri("https://koji.example.com/koji"), koji.EffectiveWebUrl);
        Assert.Equal(new Uri("https://kojicomposer.example.com"), koji.Service);
        Assert.Equal(CliServiceAuth.Auto, koji.ServiceAuth);
        Assert.Null(koji.Principal);

        // The example states the defaults.
        var defaults = new CliProfile { Name = "x" };
        Assert.Equal(defaults.PollInterval, koji.PollInterval);
        Assert.Equal(defaults.MaxRetries, koji.MaxRetries);
        Assert.Equal(defaults.RetryInterval, koji.RetryInterval);
        Assert.Equal(new Uri("https://koji.stg.example.com/kojihub"), profiles["stg"].Server);
    }

    [Fact]
    public void Load_LetsTheUsersFileOverrideTheSitesKeyByKey_AndKeepsTheRest()
    {
        var site = _dir.Write("site.toml", """
            [koji]
            server = "https://koji.example.com/kojihub"
            service = "https://kojicomposer.example.com"
            poll_interval_seconds = 10
            [stg]
            server = "https://koji.stg.example.com/kojihub"
            """);
        var user = _dir.Write("user.toml", """
            [koji]
            service = "http://127.0.0.1:8700"
            [mine]
            server = "http://localhost/kojihub"
            """);

        var profiles = CliConfiguration.Load([site, user]);

        Assert.Equal(["koji", "mine", "stg"], profiles.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new Uri("https://koji.example.com/kojihub"), profiles["koji"].Server);
        Assert.Equal(new Uri("http://127.0.0.1:8700"), profiles["koji"].Service);
        Assert.Equal(TimeSpan.FromSeconds(10), profiles["koji"].PollInterval);
        Assert.Equal([site, user], profiles["koji"].Sources);
    }

    [Fact]
    public void Load_SkipsMissingDefaultFiles_ButNotOneTheUserNamed()
    {
        var missing = Path.Combine(_dir.Path, "nope.toml");

        Assert.Empty(CliConfiguration.Load([missing]));
        var error = Assert.Throws<ConfigurationException>(() => CliConfiguration.Load([missing], new HashSet<string> { missing }));
        Assert.Equal($"{missing}: cannot read config file: No such file or directory", error.Message);
    }

    [Fact]
    public void Load_ListsEveryProblem_OnePerLine_WithFileAndLine()
    {
        var path = _dir.Write("cli.toml", """
            [koji]
            server = "koji.example.com"
            servce = "https://kojicomposer.example.com"
            service_auth = "kerberos"
            poll_interval_seconds = 0
            """);

        var error = Assert.Throws<ConfigurationException>(() => CliConfiguration.Load([path]));

        Assert.Equal(
            [
                $"{path}:2: koji.server: must be an absolute http or https URL, got \"koji.example.com\"",
                $"{path}:3: koji.servce: unknown key; did you mean service?",
                $"{path}:4: koji.service_auth: must be one of \"auto\", \"none\", \"negotiate\", \"basic\", got \"kerberos\"",
                $"{path}:5: koji.poll_interval_seconds: must be between 0.1 and 600 seconds, got 0",
            ],
            error.Message.Split('\n'));
    }

    [Fact]
    public void Load_RefusesBasicWithoutAUser_AndAKeytabWithoutAPrincipal()
    {
        var keytab = _dir.Write("x.keytab", "");
        var path = _dir.Write("cli.toml", $"""
            [koji]
            service_auth = "basic"
            keytab = "{keytab}"
            """);

        var error = Assert.Throws<ConfigurationException>(() => CliConfiguration.Load([path]));

        Assert.Contains($"{path}:2: koji.service_auth: \"basic\" needs koji.service_user", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{path}:3: koji.keytab: needs koji.principal as well", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ReportsAKeyOutsideAnyProfile()
    {
        var path = _dir.Write("cli.toml", "server = \"https://koji.example.com/kojihub\"\n");

        var error = Assert.Throws<ConfigurationException>(() => CliConfiguration.Load([path]));

        Assert.StartsWith($"{path}:1: server: unknown key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_KeepsAProfilesProblemsToItself_AsKojiDoes()
    {
        var path = _dir.Write("cli.toml", """
            [koji]
            server = "https://koji.example.com/kojihub"
            [stg]
            server = "https://koji.stg.example.com/kojihub"
            principal = "releng@STG.EXAMPLE.COM"
            keytab = "/nonexistent/stg.keytab"
            servce = "https://kojicomposer.stg.example.com"
            """);

        var profiles = CliConfiguration.Read([path]);

        Assert.Equal(new Uri("https://koji.example.com/kojihub"), profiles.Select("koji")!.Server);
        var stg = Assert.Throws<ConfigurationException>(() => profiles.Select("stg"));
        Assert.Equal(
            [
                $"{path}:6: stg.keytab: cannot read keytab \"/nonexistent/stg.keytab\": No such file or directory",
                $"{path}:7: stg.servce: unknown key; did you mean service?",
            ],
            stg.Message.Split('\n'));
        Assert.Equal(stg.Errors, profiles.ProblemsOutside("koji"));
        Assert.Null(profiles.Select("prod"));
        Assert.Throws<ConfigurationException>(() => CliConfiguration.Load([path]));
    }

    [Fact]
    public void Read_StillFailsEveryProfile_ForAFileThatIsNotToml()
    {
        var path = _dir.Write("cli.toml", "[koji]\nserver = \"https://koji.example.com/kojihub\"\n[stg\n");

        var error = Assert.Throws<ConfigurationException>(() => CliConfiguration.Read([path]));

        Assert.StartsWith($"{path}:3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LetsTheUsersFileReplaceTheSitesBrokenValue_AndChecksAcrossKeysOnTheMergedProfile()
    {
        var keytab = _dir.Write("releng.keytab", "");
        var site = _dir.Write("site.toml", """
            [koji]
            server = "https://koji.example.com/kojihub"
            principal = "releng@EXAMPLE.COM"
            keytab = "/nonexistent/site-wide.keytab"
            service_user = "releng"
            """);
        var user = _dir.Write("user.toml", $"""
            [koji]
            keytab = "{keytab}"
            service_auth = "basic"
            """);

        var koji = CliConfiguration.Read([site, user]).Select("koji")!;

        Assert.Equal("releng@EXAMPLE.COM", koji.Principal);
        Assert.Equal(keytab, koji.Keytab);
        Assert.Equal(CliServiceAuth.Basic, koji.ServiceAuth);
        Assert.Equal("releng", koji.ServiceUser);
    }

    [Fact]
    public void Read_ChecksAcrossKeys_WhereTheMergedProfileGotThem()
    {
        var site = _dir.Write("site.toml", "[koji]\nserver = \"https://koji.example.com/kojihub\"\n");
        var user = _dir.Write("user.toml", "[koji]\n\nservice_auth = \"basic\"\n");

        var error = Assert.Throws<ConfigurationException>(() => CliConfiguration.Read([site, user]).Select("koji"));

        Assert.Equal($"{user}:3: koji.service_auth: \"basic\" needs koji.service_user (and a password in service_password_file or KOJICOMPOSER_PASSWORD)", error.Message);
    }

    [Theory]
    [InlineData("https://koji.example.com/kojihub", "https://koji.example.com/koji")]
    [InlineData("https://koji.example.com/kojihub/", "https://koji.example.com/koji")]
    [InlineData("https://koji.example.com/api", null)]
    public void EffectiveWebUrl_IsDerivedFromAKojihubServer(string server, string? web)
    {
        var profile = new CliProfile { Name = "koji", Server = new Uri(server) };

        Assert.Equal(web is null ? null : new Uri(web), profile.EffectiveWebUrl);
    }

    [Fact]
    public void UserPath_FollowsXdgConfigHome()
    {
        Assert.Equal("/home/r/.config/kojicomposer/cli.toml", CliConfiguration.UserPath("/home/r", null));
        Assert.Equal("/x/kojicomposer/cli.toml", CliConfiguration.UserPath("/home/r", "/x"));
    }
}
