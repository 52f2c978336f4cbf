using KojiComposer.Builder;
using KojiComposer.Config;
using KojiComposer.Service.Hosting;

namespace KojiComposer.Service.Tests;

/// <summary><c>[builder]</c> → the builder's <see cref="BuilderSettings"/>.</summary>
public sealed class BuilderOptionsMappingTests
{
    private static KojiComposerOptions Parse(string toml) => KojiComposerConfiguration.Parse(toml + ServiceConfig.Hub, "test.toml");

    [Fact]
    public void Builder_GivesTheBuildersOwnDefaults_WhenTheConfigSetsNothing()
    {
        // The config documents defaults; the builder has its own. They must be the same values.
        var settings = OptionsMapping.Builder(Parse(""));
        var defaults = new BuilderSettings();

        Assert.Equal(defaults with { OsbuildEnvironment = settings.OsbuildEnvironment, Generator = settings.Generator, Targets = settings.Targets }, settings);
        Assert.Empty(settings.OsbuildEnvironment);
        Assert.Equal(defaults.Targets with { GenericS3 = settings.Targets.GenericS3, Configured = settings.Targets.Configured }, settings.Targets);
        Assert.Empty(settings.Targets.GenericS3);
        Assert.Empty(settings.Targets.Configured);
        Assert.Equal(defaults.Generator with { Arguments = settings.Generator.Arguments }, settings.Generator);
        Assert.Empty(settings.Generator.Arguments);
    }

    [Fact]
    public void Builder_CarriesEveryKey_WhenAllAreGiven()
    {
        var settings = OptionsMapping.Builder(Parse("""
            [builder]
            osbuild = "/opt/osbuild/bin/osbuild"
            min_osbuild_version = 195
            store_dir = "/srv/store"
            cache_max_size = "unlimited"
            checkpoint_build = true
            work_dir = "/srv/builds"
            [builder.environment]
            OSBUILD_SOURCES_CURL_PROXY = "http://proxy:3128"
            [builder.generator]
            kind = "external"
            command = "/usr/libexec/site-manifests"
            args = ["--site", "x"]
            timeout_seconds = 30
            use_librepo = false
            with_sbom = false
            rpmmd_cache = "/srv/rpmmd"
            """));

        Assert.Equal("/opt/osbuild/bin/osbuild", settings.Osbuild);
        Assert.Equal(195, settings.MinimumOsbuildVersion);
        Assert.Equal("/srv/store", settings.StoreDirectory);
        Assert.Null(settings.CacheMaxBytes);
        Assert.True(settings.CheckpointBuild);
        Assert.Equal("/srv/builds", settings.WorkDirectory);
        Assert.Equal("http://proxy:3128", settings.OsbuildEnvironment["OSBUILD_SOURCES_CURL_PROXY"]);
        Assert.Equal(ManifestGeneratorKind.External, settings.Generator.Kind);
        Assert.Equal("/usr/libexec/site-manifests", settings.Generator.Command);
        Assert.Equal(["--site", "x"], settings.Generator.Arguments);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.Generator.Timeout);
        Assert.False(settings.Generator.UseLibrepo);
        Assert.False(settings.Generator.WithSbom);
        Assert.Equal("/srv/rpmmd", settings.Generator.RpmmdCache);
    }
}
