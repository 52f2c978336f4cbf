using System.Reflection;

namespace KojiComposer.Architecture.Tests;

/// <summary>
/// Who may reference whom is part of the design (README, "Layout"): these fail when a forbidden reference appears.
/// </summary>
public sealed class ReferenceRulesTests
{
    private static readonly Assembly HubBridge = typeof(HubBridge.KojiException).Assembly;
    private static readonly Assembly Config = typeof(Config.KojiComposerConfiguration).Assembly;
    private static readonly Assembly Scheduler = typeof(Scheduler.SchedulerAssembly).Assembly;
    private static readonly Assembly Builder = typeof(Builder.BuilderAssembly).Assembly;
    private static readonly Assembly Cli = typeof(Cli.ExitCodes).Assembly;
    private static readonly Assembly Contracts = typeof(Contracts.Errors.JobError).Assembly;
    private static readonly Assembly Service = typeof(Service.ExitCodes).Assembly;

    private static string[] References(Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();

    [Fact]
    public void Config_ReferencesOnlyTomlyn()
    {
        Assert.DoesNotContain(References(Config), n => n.StartsWith("KojiComposer.", StringComparison.Ordinal));
        Assert.DoesNotContain(References(Config), n => n.StartsWith("Hangfire", StringComparison.Ordinal) || n.StartsWith("Npgsql", StringComparison.Ordinal));
    }

    [Fact]
    public void HubBridge_KnowsNothingOfHangfireNpgsqlSchedulerOrBuilder()
    {
        var references = References(HubBridge);
        Assert.DoesNotContain(references, n => n.StartsWith("Hangfire", StringComparison.Ordinal));
        Assert.DoesNotContain(references, n => n.StartsWith("Npgsql", StringComparison.Ordinal));
        Assert.DoesNotContain("KojiComposer.Scheduler", references);
        Assert.DoesNotContain("KojiComposer.Builder", references);
        Assert.DoesNotContain("kojicomposer", references);
    }

    [Fact]
    public void Contracts_DependOnNothingOfOursOrAnyPackage()
    {
        Assert.All(References(Contracts), n => Assert.True(n.StartsWith("System", StringComparison.Ordinal) || n == "netstandard", $"contracts reference {n}"));
    }

    [Fact]
    public void Builder_NeverReferencesTheScheduler()
    {
        Assert.DoesNotContain("KojiComposer.Scheduler", References(Builder));
    }

    [Fact]
    public void Cli_TalksToTheServiceOverItsApi_NotThroughSchedulerOrBuilder()
    {
        var references = References(Cli);
        Assert.DoesNotContain("KojiComposer.Scheduler", references);
        Assert.DoesNotContain("KojiComposer.Builder", references);
        Assert.DoesNotContain(references, n => n.StartsWith("Hangfire", StringComparison.Ordinal));
    }

    [Fact]
    public void ProductionAssemblies_NeverReferenceTestSupport()
    {
        foreach (var assembly in new[] { HubBridge, Config, Scheduler, Builder, Cli, Service })
        {
            Assert.DoesNotContain(References(assembly), n => n.StartsWith("KojiComposer.Testing", StringComparison.Ordinal) || n == "KojiComposer.HubSimulator" || n.StartsWith("xunit", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Service_IsTheTopOfTheGraph_NothingReferencesIt()
    {
        foreach (var assembly in new[] { HubBridge, Config, Scheduler, Builder, Cli })
        {
            Assert.DoesNotContain("kojicomposerd", References(assembly));
        }
    }
}
