namespace KojiComposer.Config.Tests;

public sealed class DependencyTests
{
    [Fact]
    public void ConfigAssembly_ReferencesOnlyTomlynAndTheRuntime()
    {
        // config/ is a leaf: every other project may read options, so it must not pull in the hub bridge,
        // Hangfire or anything else (STYLE.md, "who may reference whom").
        var references = typeof(KojiComposerConfiguration).Assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(name => !name.StartsWith("System", StringComparison.Ordinal) && name != "netstandard")
            .ToList();

        Assert.Equal(["Tomlyn"], references);
    }
}
