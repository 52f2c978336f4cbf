namespace KojiComposer.Config.Tests;

public sealed class MultipleErrorTests
{
    private const string F = ConfigAssert.File;

    [Fact]
    public void Parse_ReportsEveryProblem_OneLineEachInFileOrder()
    {
        var exception = Assert.Throws<ConfigurationException>(() => KojiComposerConfiguration.Parse("""
            [kerberos]
            credential_cache_dir = "run/ccache"

            [hub]
            url = "koji.example.com"
            timeout_seconds = "300"
            upload_chunk_bytes = 1
            sesion_transport = "auto"

            [hub.host]
            principal = "osbuild@EXAMPLE.COM"

            [hub.content_generator]
            principal = "osbuild@EXAMPLE.COM"

            [hub.retry]
            attempts = 0
            """, F));

        Assert.Equal(
            [
                $"{F}:2: kerberos.credential_cache_dir: must be an absolute path, got \"run/ccache\"",
                $"{F}:5: hub.url: must be an absolute http or https URL, got \"koji.example.com\"",
                $"{F}:6: hub.timeout_seconds: expected an integer, got a string",
                $"{F}:7: hub.upload_chunk_bytes: must be between 65536 (64 KiB) and 268435456 (256 MiB), got 1",
                $"{F}:8: hub.sesion_transport: unknown key; did you mean session_transport?",
                $"{F}:14: hub.content_generator.principal: must differ from hub.host.principal: the host's exclusive session locks out every other session of the same Koji user (\"User locked by another session\", koji-wire.md §4.2)",
                $"{F}:17: hub.retry.attempts: must be between 1 and 100, got 0",
            ],
            exception.Message.Split('\n'));
        Assert.Equal(7, exception.Errors.Count);
        Assert.Equal(new ConfigurationError(F, 5, "hub.url", "must be an absolute http or https URL, got \"koji.example.com\""), exception.Errors[1]);
    }

    [Fact]
    public void Parse_ReportsTypeErrorOnce_WhenASectionIsNotATable()
    {
        // hub = "..." hides every hub key; reporting hub.url as missing as well would only repeat the problem.
        var lines = ConfigAssert.Fails("hub = \"https://koji.example.com/kojihub\"\n");

        Assert.Equal([$"{F}:1: hub: expected a table, got a string"], lines);
    }

    [Fact]
    public void ConfigurationError_RendersWithoutLineOrKey_WhenAbsent()
    {
        Assert.Equal("f.toml:3: hub.url: bad", new ConfigurationError("f.toml", 3, "hub.url", "bad").ToString());
        Assert.Equal("f.toml: hub.url: bad", new ConfigurationError("f.toml", null, "hub.url", "bad").ToString());
        Assert.Equal("f.toml:3: bad", new ConfigurationError("f.toml", 3, "", "bad").ToString());
    }
}
