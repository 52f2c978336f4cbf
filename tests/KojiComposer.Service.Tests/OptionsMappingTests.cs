using KojiComposer.Config;
using KojiComposer.Scheduler.Hosting;
using KojiComposer.Service.Hosting;

namespace KojiComposer.Service.Tests;

public sealed class OptionsMappingTests
{
    private static KojiComposerOptions Parse(string toml) => KojiComposerConfiguration.Parse(toml + ServiceConfig.Hub, "test.toml");

    [Theory]
    [InlineData("public_url = \"https://kojicomposer.example.com/\"\nlisten = [\"http://127.0.0.1:8700\"]", "https://kojicomposer.example.com/")]
    [InlineData("listen = [\"http://127.0.0.1:8700\"]", "http://127.0.0.1:8700/")]
    [InlineData("listen = [\"http://*:8700\"]\nallow_remote = true\nlocal_role = \"operator\"\n[[web.users]]\nname = \"a\"\npassword_hash = \"pbkdf2-sha256$600000$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=\"\nrole = \"operator\"", "http://{host}:8700/")]
    public void PublicUrl_IsTheConfiguredOne_OrTheListenAddressWithAHostName(string web, string expected)
    {
        var options = Parse("[web]\n" + web + "\n");

        var url = ServiceHost.PublicUrl(OptionsMapping.Web(options));

        Assert.Equal(expected.Replace("{host}", System.Net.Dns.GetHostName().ToLowerInvariant(), StringComparison.Ordinal), url.AbsoluteUri);
    }

    [Fact]
    public void Mapping_GivesTheSettingsOwnDefaults_WhenTheConfigSetsNothing()
    {
        // The config documents defaults; the scheduler has its own. They must be the same values.
        var options = Parse("");

        Assert.Equal(new EngineSettings(), OptionsMapping.Engine(options));
        Assert.Equal(new StoreSettings(), OptionsMapping.Store(options));
        var roles = OptionsMapping.Roles(options);
        var defaults = new RoleSettings();
        Assert.Equal(defaults.Scheduler, roles.Scheduler);
        Assert.Equal(defaults.SchedulerWorkers, roles.SchedulerWorkers);
        Assert.Equal(defaults.BuildWorkers, roles.BuildWorkers);
        Assert.Equal(defaults.ServerName, roles.ServerName);
        Assert.Equal([BuilderOptions.MachineArch!], roles.BuildArches);
        var web = OptionsMapping.Web(options);
        Assert.Equal(new WebSettings().Urls, web.Urls);
        Assert.Null(web.PublicUrl);
    }

    [Fact]
    public void Engine_CarriesEverySchedulerKeyAndTheShutdownGrace()
    {
        var engine = OptionsMapping.Engine(Parse("""
            [service]
            shutdown_grace_seconds = 45
            [scheduler]
            lease_seconds = 60
            lease_renew_seconds = 5
            max_lost_workers = 3
            transient_retries = 7
            retry_initial_delay_seconds = 2
            retry_max_delay_seconds = 120
            reconcile_interval_seconds = 30
            queue_poll_interval_ms = 500
            invisibility_timeout_seconds = 600
            """));

        Assert.Equal(
            new EngineSettings
            {
                LeaseDuration = TimeSpan.FromSeconds(60),
                LeaseRenewInterval = TimeSpan.FromSeconds(5),
                MaxLostWorkers = 3,
                TransientRetries = 7,
                RetryInitialDelay = TimeSpan.FromSeconds(2),
                RetryMaxDelay = TimeSpan.FromSeconds(120),
                ReconcileInterval = TimeSpan.FromSeconds(30),
                QueuePollInterval = TimeSpan.FromMilliseconds(500),
                InvisibilityTimeout = TimeSpan.FromSeconds(600),
                ShutdownGrace = TimeSpan.FromSeconds(45),
            },
            engine);
    }

    [Fact]
    public void Store_CarriesPostgreSqlConnectionAndSchemas()
    {
        var store = OptionsMapping.Store(Parse("""
            [store]
            kind = "postgresql"
            connection_string = "Host=db.example.com;Database=kc;Username=kc;Password=pw"
            schema = "kc"
            hangfire_schema = "kc_jobs"
            """));

        Assert.Equal(Scheduler.Hosting.StoreKind.Postgres, store.Kind);
        Assert.Equal("Host=db.example.com;Database=kc;Username=kc;Password=pw", store.PostgresConnectionString);
        Assert.Equal("kc", store.PostgresSchema);
        Assert.Equal("kc_jobs", store.HangfireSchema);
    }

    [Fact]
    public void Roles_BuildNothing_WhenTheBuilderRoleDoesNotRun()
    {
        var roles = OptionsMapping.Roles(Parse("""
            [service]
            roles = ["scheduler", "hub-bridge"]
            server_name = "sched1"
            [scheduler]
            workers = 6
            [builder]
            arches = ["aarch64"]
            """));

        Assert.True(roles.Scheduler);
        Assert.Empty(roles.BuildArches);
        Assert.Equal(6, roles.SchedulerWorkers);
        Assert.Equal("sched1", roles.ServerName);
    }

    [Fact]
    public void Roles_BuildTheConfiguredArches_OnABuilderOnlyMachine()
    {
        var roles = OptionsMapping.Roles(Parse("""
            [service]
            roles = ["builder"]
            [builder]
            arches = ["aarch64", "x86_64"]
            workers = 2
            [store]
            kind = "postgresql"
            connection_string = "Host=db.example.com"
            """));

        Assert.False(roles.Scheduler);
        Assert.Equal(["aarch64", "x86_64"], roles.BuildArches);
        Assert.Equal(2, roles.BuildWorkers);
    }

    [Fact]
    public void Web_FallsBackToTheHubsWebUrl_ForKojiLinks()
    {
        Assert.Equal(new Uri("https://koji.example.com/koji"), OptionsMapping.Web(Parse("")).KojiWebUrl);
        var web = OptionsMapping.Web(Parse("""
            [web]
            listen = ["http://127.0.0.1:9000", "http://[::1]:9000"]
            public_url = "https://composer.example.com/"
            koji_web_url = "https://kojiweb.example.com/koji"
            """));
        Assert.Equal(["http://127.0.0.1:9000", "http://[::1]:9000"], web.Urls);
        Assert.Equal(new Uri("https://composer.example.com/"), web.PublicUrl);
        Assert.Equal(new Uri("https://kojiweb.example.com/koji"), web.KojiWebUrl);
    }

    [Fact]
    public void Web_CarriesRemoteAccessUsersPrincipalsAndTheLocalRole()
    {
        const string hash = "pbkdf2-sha256$1000$c2FsdHNhbHQ=$aGFzaGhhc2g=";
        var web = OptionsMapping.Web(Parse($$"""
            [web]
            listen = ["http://0.0.0.0:8700"]
            allow_remote = true
            local_role = "none"
            [[web.users]]
            name = "releng"
            password_hash = "{{hash}}"
            role = "operator"
            [[web.negotiate]]
            principal = "alice@EXAMPLE.COM"
            """));

        Assert.True(web.AllowRemote);
        Assert.Null(web.LocalRole);
        Assert.Equal(new Scheduler.Hosting.WebUser("releng", hash, Scheduler.Hosting.WebRole.Operator), Assert.Single(web.Users));
        Assert.Equal(new Scheduler.Hosting.NegotiatePrincipal("alice@EXAMPLE.COM", Scheduler.Hosting.WebRole.ReadOnly), Assert.Single(web.NegotiatePrincipals));
    }
}
