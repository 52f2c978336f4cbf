namespace KojiComposer.Config.Tests;

/// <summary>A builder-only machine's <c>[hub]</c>: only the content-generator identity it uploads with.</summary>
public sealed class BuilderHubTests
{
    private const string F = ConfigAssert.File;

    private const string BuilderOnly = """
        [service]
        roles = ["builder"]
        [store]
        kind = "postgresql"
        connection_string = "Host=db.example.com;Database=kojicomposer"
        [builder]
        arches = ["x86_64"]

        """;

    [Fact]
    public void Parse_AcceptsABuilderHub_WithoutAHostIdentity()
    {
        var hub = ConfigAssert.Parses(BuilderOnly + "[hub]\nurl = \"https://koji.example.com/kojihub\"\n[hub.content_generator]\nprincipal = \"osbuild-cg@EXAMPLE.COM\"\n").Hub!;

        Assert.Equal("osbuild-cg@EXAMPLE.COM", hub.ContentGenerator.Principal);
        Assert.Null(hub.Host.Principal);
    }

    [Fact]
    public void Parse_AcceptsABuilderHub_WithTheAmbientCredentialCache()
    {
        // One identity only, so the two-ambient-identities rule (one cache holds one principal) does not apply.
        var hub = ConfigAssert.Parses(BuilderOnly + "[hub]\nurl = \"https://koji.example.com/kojihub\"\n").Hub!;

        Assert.Null(hub.ContentGenerator.Principal);
    }

    [Fact]
    public void Parse_StillRefusesTwoAmbientIdentities_WhenTheSchedulerRuns()
    {
        var line = ConfigAssert.FailsOnce("[hub]\nurl = \"https://koji.example.com/kojihub\"\n");

        Assert.StartsWith($"{F}: hub.content_generator.principal: required when hub.host.principal is not set either", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LeavesTheHubOut_OfABuilderWithoutOne()
    {
        Assert.Null(ConfigAssert.Parses(BuilderOnly).Hub);
    }
}
