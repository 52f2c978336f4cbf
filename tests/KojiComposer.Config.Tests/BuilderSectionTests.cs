using System.Runtime.InteropServices;

namespace KojiComposer.Config.Tests;

public sealed class BuilderSectionTests
{
    private const string F = ConfigAssert.File;

    [Fact]
    public void Parse_BuildsForThisMachinesArch_WhenArchesAreNotGiven()
    {
        var builder = ConfigAssert.Parses(ConfigAssert.HubSection).Builder;

        Assert.Equal([BuilderOptions.KojiArch(RuntimeInformation.OSArchitecture)!], builder.Arches);
        Assert.Equal(1, builder.Workers);
    }

    [Theory]
    [InlineData(Architecture.X64, "x86_64")]
    [InlineData(Architecture.Arm64, "aarch64")]
    [InlineData(Architecture.Ppc64le, "ppc64le")]
    [InlineData(Architecture.S390x, "s390x")]
    [InlineData(Architecture.RiscV64, "riscv64")]
    [InlineData(Architecture.X86, null)]
    public void KojiArch_UsesKojisNames_ForDotNetArchitectures(Architecture architecture, string? koji)
    {
        Assert.Equal(koji, BuilderOptions.KojiArch(architecture));
    }

    [Fact]
    public void Parse_ReadsArchesAndWorkers_WhenGiven()
    {
        var builder = ConfigAssert.Parses("[builder]\narches = [\"aarch64\", \"x86_64\"]\nworkers = 2\n" + ConfigAssert.HubSection).Builder;

        Assert.Equal(["aarch64", "x86_64"], builder.Arches);
        Assert.Equal(2, builder.Workers);
    }

    [Fact]
    public void Parse_SuggestsKojisName_WhenArchIsDotNetsOrMisspelt()
    {
        var lines = ConfigAssert.Fails("[builder]\narches = [\"x86-64\", \"arm64\"]\n" + ConfigAssert.HubSection);

        Assert.Equal(
            [
                $"{F}:2: builder.arches: unknown architecture \"x86-64\"; Koji's names are \"x86_64\", \"aarch64\", \"ppc64le\", \"s390x\", \"riscv64\"; did you mean \"x86_64\"?",
                $"{F}:2: builder.arches: unknown architecture \"arm64\"; Koji's names are \"x86_64\", \"aarch64\", \"ppc64le\", \"s390x\", \"riscv64\"",
            ],
            lines);
    }

    [Fact]
    public void Parse_RefusesNoArches_WhenBuilderRoleRuns()
    {
        var line = ConfigAssert.FailsOnce("[builder]\narches = []\n" + ConfigAssert.HubSection);

        Assert.Equal($"{F}:2: builder.arches: must name at least one architecture when service.roles includes \"builder\"", line);
    }

    [Fact]
    public void Parse_AcceptsNoArches_WhenBuilderRoleDoesNotRun()
    {
        var options = ConfigAssert.Parses("[service]\nroles = [\"scheduler\", \"hub-bridge\"]\n[builder]\narches = []\n" + ConfigAssert.HubSection);

        Assert.Empty(options.Builder.Arches);
    }

    [Fact]
    public void Parse_RefusesRepeatedArchAndTooManyWorkers()
    {
        var lines = ConfigAssert.Fails("[builder]\narches = [\"s390x\", \"s390x\"]\nworkers = 65\n" + ConfigAssert.HubSection);

        Assert.Equal(
            [$"{F}:2: builder.arches: lists \"s390x\" twice", $"{F}:3: builder.workers: must be between 1 and 64, got 65"],
            lines);
    }
}
