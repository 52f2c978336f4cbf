namespace KojiComposer.Config.Tests;

public sealed class ExampleConfigurationTests
{
    private static readonly string ExamplePath = Path.Combine(AppContext.BaseDirectory, "examples", "kojicomposer.toml");

    [Fact]
    public void Load_ReadsShippedExample_WithoutError()
    {
        var options = KojiComposerConfiguration.Load(ExamplePath);

        Assert.Equal(new Uri("https://koji.example.com/kojihub"), options.Hub!.Url);
        Assert.Equal(new Uri("https://koji.example.com/kojifiles"), options.Hub!.TopUrl);
        Assert.Equal(new Uri("https://koji.example.com/koji"), options.Hub!.WebUrl);
        Assert.Equal("compile/builder1.example.com@EXAMPLE.COM", options.Hub!.Host.Principal);
        Assert.Equal("osbuild-cg@EXAMPLE.COM", options.Hub!.ContentGenerator.Principal);
        Assert.Equal("/run/kojicomposer/ccache", options.Kerberos.CredentialCacheDirectory);
    }

    [Fact]
    public void Load_ExampleStatesTheBuiltInDefaults_ForEveryTunable()
    {
        // The example documents each key with its default; this keeps the comments and the code in step.
        var options = KojiComposerConfiguration.Load(ExamplePath);

        var defaults = new HubOptions { Url = options.Hub!.Url };
        Assert.Equal(defaults.SessionTransport, options.Hub!.SessionTransport);
        Assert.Equal(defaults.Timeout, options.Hub!.Timeout);
        Assert.Equal(defaults.UploadChunkBytes, options.Hub!.UploadChunkBytes);
        Assert.Equal(defaults.MaxResponseBytes, options.Hub!.MaxResponseBytes);
        Assert.Equal(new RetryOptions(), options.Hub!.Retry);
        Assert.Equal(defaults.Host.ForceExclusive, options.Hub!.Host.ForceExclusive);
        Assert.Equal(defaults.ContentGenerator.Name, options.Hub!.ContentGenerator.Name);
        Assert.Null(options.Hub!.Host.Keytab);
        Assert.Null(options.Hub!.ContentGenerator.Keytab);
        Assert.Null(options.Kerberos.ConfigFile);
        var targets = new TargetsOptions();
        Assert.Equal((targets.NamePrefix, targets.MaxAttempts, targets.RetryDelay), (options.Builder.Targets.NamePrefix, options.Builder.Targets.MaxAttempts, options.Builder.Targets.RetryDelay));
        Assert.Empty(options.Builder.Targets.Configured);
    }

    [Fact]
    public void Load_AcceptsExampleWithKeytabsEnabled_WhenTheKeytabsExist()
    {
        using var dir = new TempDirectory();
        var hostKeytab = dir.Write("host.keytab", "not really a keytab");
        var cgKeytab = dir.Write("cg.keytab", "not really a keytab");
        var toml = File.ReadAllText(ExamplePath)
            .Replace("# keytab = \"/etc/kojicomposer/host.keytab\"", $"keytab = \"{hostKeytab}\"", StringComparison.Ordinal)
            .Replace("# keytab = \"/etc/kojicomposer/cg.keytab\"", $"keytab = \"{cgKeytab}\"", StringComparison.Ordinal);
        var path = dir.Write("kojicomposer.toml", toml);

        var options = KojiComposerConfiguration.Load(path);

        Assert.Equal(hostKeytab, options.Hub!.Host.Keytab);
        Assert.Equal(cgKeytab, options.Hub!.ContentGenerator.Keytab);
    }
}
