namespace KojiComposer.Config.Tests;

public sealed class DefaultsTests
{
    [Fact]
    public void Parse_AppliesDefaults_WhenOnlyRequiredKeysAreGiven()
    {
        var options = KojiComposerConfiguration.Parse("""
            [hub]
            url = "https://koji.example.com/kojihub"
            [hub.content_generator]
            principal = "osbuild-cg@EXAMPLE.COM"
            """, ConfigAssert.File);

        var hub = options.Hub!;
        Assert.Equal(new Uri("https://koji.example.com/kojihub"), hub.Url);
        Assert.Null(hub.TopUrl);
        Assert.Null(hub.WebUrl);
        Assert.Equal(SessionTransport.Auto, hub.SessionTransport);
        Assert.Equal(TimeSpan.FromSeconds(300), hub.Timeout);
        Assert.Equal(8 * 1024 * 1024, hub.UploadChunkBytes);
        Assert.Equal(256 * 1024 * 1024, hub.MaxResponseBytes);
        Assert.Null(hub.Host.Principal);
        Assert.Null(hub.Host.Keytab);
        Assert.False(hub.Host.ForceExclusive);
        Assert.Equal(20, hub.Host.MaxTasks);
        Assert.Equal(TimeSpan.FromSeconds(5), hub.Host.PollInterval);
        Assert.Equal(TimeSpan.FromMinutes(120), hub.Host.RepoWait);
        Assert.Null(hub.ContentGenerator.Keytab);
        Assert.Equal("osbuild", hub.ContentGenerator.Name);
        Assert.Equal(5, hub.Retry.Attempts);
        Assert.Equal(TimeSpan.FromSeconds(1), hub.Retry.InitialDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), hub.Retry.MaxDelay);
        Assert.Equal(TimeSpan.FromSeconds(60), hub.Retry.ServerOfflineWait);
        Assert.Null(options.Kerberos.ConfigFile);
        Assert.Null(options.Kerberos.CredentialCacheDirectory);
    }

    [Fact]
    public void Parse_ReadsEveryKey_WhenAllAreGiven()
    {
        using var dir = new TempDirectory();
        var hostKeytab = dir.Write("host.keytab", "k");
        var cgKeytab = dir.Write("cg.keytab", "k");
        var krb5 = dir.Write("krb5.conf", "[libdefaults]\n");

        var options = KojiComposerConfiguration.Parse($"""
            [hub]
            url = "http://localhost:8080/kojihub"
            topurl = "http://localhost:8080/kojifiles"
            weburl = "http://localhost:8080/koji"
            session_transport = "query"
            timeout_seconds = 12
            upload_chunk_bytes = 65536
            max_response_bytes = 1073741824
            [hub.host]
            principal = "compile/localhost@TEST.REALM"
            keytab = "{hostKeytab}"
            force_exclusive = true
            max_tasks = 3
            poll_interval_seconds = 0.5
            repo_wait_minutes = 7
            [hub.content_generator]
            principal = "cg@TEST.REALM"
            keytab = "{cgKeytab}"
            name = "image-builder"
            [hub.retry]
            attempts = 100
            initial_delay_seconds = 0
            max_delay_seconds = 2.5
            server_offline_wait_seconds = 3
            [kerberos]
            config = "{krb5}"
            credential_cache_dir = "/run/kc"
            """, ConfigAssert.File);

        var expected = new KojiComposerOptions
        {
            Hub = new HubOptions
            {
                Url = new Uri("http://localhost:8080/kojihub"),
                TopUrl = new Uri("http://localhost:8080/kojifiles"),
                WebUrl = new Uri("http://localhost:8080/koji"),
                SessionTransport = SessionTransport.Query,
                Timeout = TimeSpan.FromSeconds(12),
                UploadChunkBytes = 65536,
                MaxResponseBytes = 1073741824,
                Host = new HostIdentityOptions { Principal = "compile/localhost@TEST.REALM", Keytab = hostKeytab, ForceExclusive = true, MaxTasks = 3, PollInterval = TimeSpan.FromSeconds(0.5), RepoWait = TimeSpan.FromMinutes(7) },
                ContentGenerator = new ContentGeneratorOptions { Principal = "cg@TEST.REALM", Keytab = cgKeytab, Name = "image-builder" },
                Retry = new RetryOptions
                {
                    Attempts = 100,
                    InitialDelay = TimeSpan.Zero,
                    MaxDelay = TimeSpan.FromSeconds(2.5),
                    ServerOfflineWait = TimeSpan.FromSeconds(3),
                },
            },
            Kerberos = new KerberosOptions { ConfigFile = krb5, CredentialCacheDirectory = "/run/kc" },
        };
        // The sections with lists ([service], [builder], [web]) compare by reference; ServiceSectionTests and
        // its neighbours check them.
        Assert.Equal(expected.Hub, options.Hub);
        Assert.Equal(expected.Kerberos, options.Kerberos);
    }

    [Fact]
    public void Parse_AcceptsDottedKeysAndInlineTables_AsTheSameSections()
    {
        var options = KojiComposerConfiguration.Parse("""
            hub.url = "https://koji.example.com/kojihub"
            hub.host = { principal = "compile/b@EXAMPLE.COM", force_exclusive = true }
            hub.content_generator.principal = "cg@EXAMPLE.COM"
            [hub.retry]
            attempts = 2
            """, ConfigAssert.File);

        Assert.Equal("compile/b@EXAMPLE.COM", options.Hub!.Host.Principal);
        Assert.True(options.Hub!.Host.ForceExclusive);
        Assert.Equal("cg@EXAMPLE.COM", options.Hub!.ContentGenerator.Principal);
        Assert.Equal(2, options.Hub!.Retry.Attempts);
    }
}
