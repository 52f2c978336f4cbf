namespace KojiComposer.Config.Tests;

/// <summary><c>[builder]</c>'s osbuild, store and generator keys, <c>[builder.environment]</c> and
/// <c>[builder.generator]</c>.</summary>
public sealed class BuilderOsbuildSectionTests
{
    private const string F = ConfigAssert.File;

    [Fact]
    public void Parse_AppliesTheBuilderDefaults_WhenOnlyArchesAreGiven()
    {
        var builder = ConfigAssert.Parses("[builder]\narches = [\"x86_64\"]\n" + ConfigAssert.HubSection).Builder;

        Assert.Equal("osbuild", builder.Osbuild);
        Assert.Equal(190, builder.MinimumOsbuildVersion);
        Assert.Equal("/var/cache/kojicomposer/osbuild-store", builder.StoreDirectory);
        Assert.Equal(20L * 1024 * 1024 * 1024, builder.CacheMaxBytes);
        Assert.False(builder.CheckpointBuild);
        Assert.Equal("/var/lib/kojicomposer/builds", builder.WorkDirectory);
        Assert.Null(builder.CatalogueFile);
        Assert.Empty(builder.Environment);
        Assert.Equal(GeneratorKind.ImageBuilder, builder.Generator.Kind);
        Assert.Equal("image-builder", builder.Generator.Command);
        Assert.Equal(TimeSpan.FromMinutes(15), builder.Generator.Timeout);
        Assert.True(builder.Generator.UseLibrepo);
    }

    [Fact]
    public void Parse_ReadsEveryBuilderKey_WhenAllAreGiven()
    {
        using var dir = new TempDirectory();
        var catalogue = dir.Write("catalogue.json", "[]");

        var builder = ConfigAssert.Parses($"""
            [builder]
            osbuild = "/opt/osbuild/bin/osbuild"
            min_osbuild_version = 191
            store_dir = "/srv/osbuild/store"
            cache_max_size = "500MB"
            checkpoint_build = true
            work_dir = "/srv/osbuild/work"
            catalogue = "{catalogue}"
            [builder.environment]
            OSBUILD_SOURCES_CURL_PROXY = "http://proxy.example.com:3128"
            [builder.generator]
            kind = "external"
            command = "/usr/libexec/site-manifests"
            args = ["--site", "example"]
            timeout_seconds = 60
            use_librepo = false
            with_sbom = false
            rpmmd_cache = "/srv/osbuild/rpmmd"
            """ + ConfigAssert.HubSection).Builder;

        Assert.Equal("/opt/osbuild/bin/osbuild", builder.Osbuild);
        Assert.Equal(191, builder.MinimumOsbuildVersion);
        Assert.Equal("/srv/osbuild/store", builder.StoreDirectory);
        Assert.Equal(500_000_000, builder.CacheMaxBytes);
        Assert.True(builder.CheckpointBuild);
        Assert.Equal("/srv/osbuild/work", builder.WorkDirectory);
        Assert.Equal(catalogue, builder.CatalogueFile);
        Assert.Equal("http://proxy.example.com:3128", builder.Environment["OSBUILD_SOURCES_CURL_PROXY"]);
        Assert.Equal(GeneratorKind.External, builder.Generator.Kind);
        Assert.Equal("/usr/libexec/site-manifests", builder.Generator.Command);
        Assert.Equal(["--site", "example"], builder.Generator.Arguments);
        Assert.Equal(TimeSpan.FromSeconds(60), builder.Generator.Timeout);
        Assert.False(builder.Generator.UseLibrepo);
        Assert.False(builder.Generator.WithSbom);
        Assert.Equal("/srv/osbuild/rpmmd", builder.Generator.RpmmdCache);
    }

    [Theory]
    [InlineData("21474836480", 21474836480L)]
    [InlineData("\"20GiB\"", 21474836480L)]
    [InlineData("\"20 GiB\"", 21474836480L)]
    [InlineData("\"500MB\"", 500000000L)]
    [InlineData("\"64KiB\"", 65536L)]
    [InlineData("\"1024\"", 1024L)]
    [InlineData("\"unlimited\"", null)]
    public void Parse_ReadsCacheMaxSize_AsBytesSizeOrUnlimited(string value, long? bytes)
    {
        var builder = ConfigAssert.Parses($"[builder]\ncache_max_size = {value}\n" + ConfigAssert.HubSection).Builder;

        Assert.Equal(bytes, builder.CacheMaxBytes);
    }

    [Theory]
    [InlineData("\"20 gigs\"", "must be a size like \"20GiB\" or \"500MB\" (B, kB, MB, GB, TB, KiB, MiB, GiB, TiB), bytes as an integer, or \"unlimited\"; got \"20 gigs\"")]
    [InlineData("\"20.5GiB\"", "must be a size like \"20GiB\" or \"500MB\" (B, kB, MB, GB, TB, KiB, MiB, GiB, TiB), bytes as an integer, or \"unlimited\"; got \"20.5GiB\"")]
    [InlineData("-1", "must not be negative, got -1")]
    [InlineData("true", "expected a size (an integer of bytes, or a string like \"20GiB\" or \"unlimited\"), got a boolean")]
    public void Parse_RefusesCacheMaxSize_ThatIsNoSize(string value, string problem)
    {
        var line = ConfigAssert.FailsOnce($"[builder]\ncache_max_size = {value}\n" + ConfigAssert.HubSection);

        Assert.Equal($"{F}:2: builder.cache_max_size: {problem}", line);
    }

    [Fact]
    public void Parse_NamesEachWrongBuilderKey_WithFileAndLine()
    {
        var lines = ConfigAssert.Fails("""
            [builder]
            osbuild = ""
            min_osbuild_version = 0
            store_dir = "var/cache/osbuild"
            catalogue = "/nonexistent/catalogue.json"
            checkpoint_build = "yes"
            """ + ConfigAssert.HubSection);

        Assert.Equal(
            [
                $"{F}:2: builder.osbuild: must not be empty",
                $"{F}:3: builder.min_osbuild_version: must be between 1 and 100000, got 0",
                $"{F}:4: builder.store_dir: must be an absolute path, got \"var/cache/osbuild\"",
                $"{F}:5: builder.catalogue: cannot read image-type catalogue \"/nonexistent/catalogue.json\": No such file or directory",
                $"{F}:6: builder.checkpoint_build: expected a boolean, got a string",
            ],
            lines);
    }

    [Fact]
    public void Parse_RequiresACommand_ForAnExternalGenerator()
    {
        var line = ConfigAssert.FailsOnce("[builder.generator]\nkind = \"external\"\n" + ConfigAssert.HubSection);

        Assert.Equal($"{F}:1: builder.generator.command: required when builder.generator.kind = \"external\": name the site's manifest command", line);
    }

    [Fact]
    public void Parse_SuggestsTheGeneratorKind_WhenMisspelt()
    {
        var line = ConfigAssert.FailsOnce("[builder.generator]\nkind = \"image_builder\"\n" + ConfigAssert.HubSection);

        Assert.Equal($"{F}:2: builder.generator.kind: must be one of \"image-builder\", \"external\", got \"image_builder\"; did you mean \"image-builder\"?", line);
    }

    [Fact]
    public void Parse_NeverRepeatsAnEnvironmentValue_WhenItIsNotAString()
    {
        var line = ConfigAssert.FailsOnce("[builder.environment]\nPROXY_PORT = 3128\nHTTPS_PROXY = \"http://user:s3cret@proxy:3128\"\n" + ConfigAssert.HubSection);

        Assert.Equal($"{F}:2: builder.environment.PROXY_PORT: expected a string, got an integer", line);
        Assert.DoesNotContain("3128", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ReportsUnknownGeneratorKeys_WithTheClosestKnownKey()
    {
        var line = ConfigAssert.FailsOnce("[builder.generator]\ntimeout_secs = 60\n" + ConfigAssert.HubSection);

        Assert.Equal($"{F}:2: builder.generator.timeout_secs: unknown key; did you mean timeout_seconds?", line);
    }
}
