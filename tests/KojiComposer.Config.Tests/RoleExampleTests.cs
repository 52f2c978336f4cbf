using System.Globalization;

namespace KojiComposer.Config.Tests;

/// <summary>The per-role examples and the systemd units that run them: each example loads with the shipped loader,
/// and each unit gives the service longer to stop than its example's shutdown grace plus the host's margin.</summary>
public sealed class RoleExampleTests
{
    // service/Hosting/ServiceHost.ShutdownMargin: the host's time beyond the grace to hand steps back.
    private static readonly TimeSpan ShutdownMargin = TimeSpan.FromSeconds(15);

    private static string Example(string name) => Path.Combine(AppContext.BaseDirectory, "examples", name);

    private static string Unit(string name) => Path.Combine(AppContext.BaseDirectory, "systemd", name);

    // cli.toml is the command line's profiles, not a service config (CliConfigurationTests reads it).
    public static TheoryData<string> Examples => [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "examples"), "*.toml").Select(f => Path.GetFileName(f)).Where(n => n != "cli.toml")];

    [Theory]
    [MemberData(nameof(Examples))]
    public void Load_ReadsEveryShippedExample_WithoutError(string name)
    {
        var options = KojiComposerConfiguration.Load(Example(name));

        Assert.NotEmpty(options.Service.Roles);
    }

    [Fact]
    public void Examples_CoverTheThreeSetUps()
    {
        Assert.Equal(4, Examples.Count);

        var allInOne = KojiComposerConfiguration.Load(Example("all-in-one.toml"));
        Assert.Equal([ServiceRole.Scheduler, ServiceRole.Builder, ServiceRole.HubBridge], allInOne.Service.Roles);
        Assert.Equal(StoreKind.Embedded, allInOne.Store.Kind);

        var scheduler = KojiComposerConfiguration.Load(Example("scheduler.toml"));
        Assert.Equal([ServiceRole.Scheduler, ServiceRole.HubBridge], scheduler.Service.Roles);
        Assert.Equal(StoreKind.PostgreSql, scheduler.Store.Kind);
        Assert.DoesNotContain("Password=", scheduler.Store.ConnectionString, StringComparison.OrdinalIgnoreCase);

        var builder = KojiComposerConfiguration.Load(Example("builder.toml"));
        Assert.Equal([ServiceRole.Builder], builder.Service.Roles);
        Assert.Equal(StoreKind.PostgreSql, builder.Store.Kind);
        // A builder uploads its images to Koji as the content generator; the host identity is the scheduler's.
        Assert.Equal(new Uri("https://koji.example.com/kojihub"), builder.Hub!.Url);
        Assert.Equal("osbuild-cg@EXAMPLE.COM", builder.Hub.ContentGenerator.Principal);
        Assert.Null(builder.Hub.Host.Principal);
        Assert.Equal(["x86_64"], builder.Builder.Arches);
        Assert.Equal("/usr/bin/osbuild", builder.Builder.Osbuild);
        Assert.Equal("/usr/bin/image-builder", builder.Builder.Generator.Command);
    }

    [Fact]
    public void Load_ExampleStatesTheBuiltInDefaults_ForTheServiceSections()
    {
        var options = KojiComposerConfiguration.Load(Example("kojicomposer.toml"));

        Assert.Equal(new ServiceOptions().Roles, options.Service.Roles);
        Assert.Equal(new ServiceOptions().ShutdownGrace, options.Service.ShutdownGrace);
        Assert.Equal(new StoreOptions(), options.Store);
        Assert.Equal(new SchedulerOptions(), options.Scheduler);
        Assert.Equal(new BuilderOptions().Arches, options.Builder.Arches);
        Assert.Equal(new BuilderOptions().Workers, options.Builder.Workers);
        Assert.Equal(new BuilderOptions().Osbuild, options.Builder.Osbuild);
        Assert.Equal(new BuilderOptions().MinimumOsbuildVersion, options.Builder.MinimumOsbuildVersion);
        Assert.Equal(new BuilderOptions().StoreDirectory, options.Builder.StoreDirectory);
        Assert.Equal(new BuilderOptions().CacheMaxBytes, options.Builder.CacheMaxBytes);
        Assert.Equal(new BuilderOptions().CheckpointBuild, options.Builder.CheckpointBuild);
        Assert.Equal(new BuilderOptions().WorkDirectory, options.Builder.WorkDirectory);
        Assert.Null(options.Builder.CatalogueFile);
        Assert.Empty(options.Builder.Environment);
        var generator = new BuilderGeneratorOptions();
        Assert.Equal((generator.Kind, generator.Command, generator.Timeout, generator.UseLibrepo, generator.RpmmdCache),
            (options.Builder.Generator.Kind, options.Builder.Generator.Command, options.Builder.Generator.Timeout, options.Builder.Generator.UseLibrepo, options.Builder.Generator.RpmmdCache));
        Assert.Empty(options.Builder.Generator.Arguments);
        Assert.Equal(new WebOptions().Listen, options.Web.Listen);
        Assert.False(options.Web.AllowRemote);
    }

    [Theory]
    [InlineData("kojicomposer.service", "3 7")]
    [InlineData("kojicomposer-builder.service", "3 7")]
    [InlineData("kojicomposer-scheduler.service", "3")]
    public void Unit_DoesNotRestartLoop_OnABadConfigOrAMachineThatCannotBuild(string unit, string codes)
    {
        // 3: service/ExitCodes.Configuration; 7: ExitCodes.BuilderPrerequisites (osbuild or image-builder missing or
        // too old), only where the builder role runs.
        Assert.Equal(codes, Setting(unit, "RestartPreventExitStatus"));
    }

    [Theory]
    [InlineData("kojicomposer.service", "all-in-one.toml")]
    [InlineData("kojicomposer-scheduler.service", "scheduler.toml")]
    [InlineData("kojicomposer-builder.service", "builder.toml")]
    public void Unit_WaitsLongerThanTheGraceAndMargin_BeforeKilling(string unit, string example)
    {
        var grace = KojiComposerConfiguration.Load(Example(example)).Service.ShutdownGrace;

        var stop = TimeSpan.FromSeconds(int.Parse(Setting(unit, "TimeoutStopSec"), CultureInfo.InvariantCulture));

        Assert.True(stop > grace + ShutdownMargin, $"{unit}: TimeoutStopSec={stop.TotalSeconds} must exceed {example}'s grace {grace.TotalSeconds} s + {ShutdownMargin.TotalSeconds} s");
        Assert.Equal("notify", Setting(unit, "Type"));
    }

    [Theory]
    [InlineData("kojicomposer.service", "root")]
    [InlineData("kojicomposer-builder.service", "root")]
    [InlineData("kojicomposer-scheduler.service", "kojicomposer")]
    public void Unit_RunsAsRoot_OnlyWhereOsbuildRuns(string unit, string user)
    {
        Assert.Equal(user, Setting(unit, "User"));
    }

    private static string Setting(string unit, string key) =>
        File.ReadLines(Unit(unit)).Select(l => l.Trim()).Single(l => l.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..];
}
