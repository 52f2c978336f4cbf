namespace KojiComposer.Config.Tests;

public sealed class SchemaErrorTests
{
    private const string F = ConfigAssert.File;

    private static string Hub(string keys) => $"""
        [hub]
        url = "https://koji.example.com/kojihub"
        {keys}
        {ConfigAssert.Identities}
        """;

    [Fact]
    public void Parse_NamesFileKeyAndProblem_WhenUrlIsRelative()
    {
        var line = ConfigAssert.FailsOnce("[hub]\n\nurl = \"koji.example.com\"\n" + ConfigAssert.Identities);

        Assert.Equal($"{F}:3: hub.url: must be an absolute http or https URL, got \"koji.example.com\"", line);
    }

    [Theory]
    [InlineData("ftp://koji.example.com/kojihub")]
    [InlineData("/kojihub")]
    [InlineData("https://")]
    public void Parse_RefusesUrl_WhenNotAbsoluteHttpOrHttps(string url)
    {
        var line = ConfigAssert.FailsOnce($"[hub]\nurl = \"{url}\"\n" + ConfigAssert.Identities);

        Assert.Equal($"{F}:2: hub.url: must be an absolute http or https URL, got \"{url}\"", line);
    }

    [Fact]
    public void Parse_NamesKeyAndHeaderLine_WhenRequiredUrlIsMissing()
    {
        var line = ConfigAssert.FailsOnce("# comment\n[hub]\ntimeout_seconds = 5\n" + ConfigAssert.Identities);

        Assert.Equal($"{F}:2: hub.url: required key is missing", line);
    }

    [Fact]
    public void Parse_ReportsMissingUrlWithoutLine_WhenHubSectionIsAbsent()
    {
        var lines = ConfigAssert.Fails("[kerberos]\n");

        Assert.Equal($"{F}: hub.url: required key is missing", lines[0]);
    }

    [Fact]
    public void Parse_NamesExpectedAndActualType_WhenIntegerIsAString()
    {
        var line = ConfigAssert.FailsOnce(Hub("timeout_seconds = \"300\""));

        Assert.Equal($"{F}:3: hub.timeout_seconds: expected an integer, got a string", line);
    }

    [Theory]
    [InlineData("timeout_seconds = 2.5", "hub.timeout_seconds: expected an integer, got a float")]
    [InlineData("topurl = 5", "hub.topurl: expected a string, got an integer")]
    [InlineData("session_transport = true", "hub.session_transport: expected a string, got a boolean")]
    [InlineData("upload_chunk_bytes = [1]", "hub.upload_chunk_bytes: expected an integer, got an array")]
    [InlineData("max_response_bytes = 1979-05-27", "hub.max_response_bytes: expected an integer, got a date-time")]
    [InlineData("weburl = { a = 1 }", "hub.weburl: expected a string, got a table")]
    public void Parse_ReportsTypeMismatch_ForEachKind(string keys, string expected)
    {
        var line = ConfigAssert.FailsOnce(Hub(keys));

        Assert.Equal($"{F}:3: {expected}", line);
    }

    [Fact]
    public void Parse_ReportsTypeMismatch_WhenSubSectionIsAScalar()
    {
        var line = ConfigAssert.FailsOnce("""
            [hub]
            url = "https://koji.example.com/kojihub"
            host = "compile/b@EXAMPLE.COM"
            [hub.content_generator]
            principal = "cg@EXAMPLE.COM"
            """);

        Assert.Equal($"{F}:3: hub.host: expected a table, got a string", line);
    }

    [Fact]
    public void Parse_ReportsTypeMismatch_ForFloatKeyGivenAString()
    {
        var line = ConfigAssert.FailsOnce(Hub("[hub.retry]\nmax_delay_seconds = \"30\""));

        Assert.Equal($"{F}:4: hub.retry.max_delay_seconds: expected a number, got a string", line);
    }

    [Theory]
    [InlineData("timeout_seconds = 0", "hub.timeout_seconds: must be between 1 and 86400, got 0")]
    [InlineData("upload_chunk_bytes = 1024", "hub.upload_chunk_bytes: must be between 65536 (64 KiB) and 268435456 (256 MiB), got 1024 (1 KiB)")]
    [InlineData("max_response_bytes = 2147483648", "hub.max_response_bytes: must be between 65536 (64 KiB) and 1073741824 (1 GiB), got 2147483648 (2 GiB)")]
    [InlineData("session_transport = \"headers\"", "hub.session_transport: must be one of \"auto\", \"header\", \"query\", got \"headers\"; did you mean \"header\"?")]
    [InlineData("session_transport = \"cookie\"", "hub.session_transport: must be one of \"auto\", \"header\", \"query\", got \"cookie\"")]
    public void Parse_ReportsOutOfRangeValue_WithBoundsAndValue(string keys, string expected)
    {
        var line = ConfigAssert.FailsOnce(Hub(keys));

        Assert.Equal($"{F}:3: {expected}", line);
    }

    [Theory]
    [InlineData("attempts = 0", "hub.retry.attempts: must be between 1 and 100, got 0")]
    [InlineData("attempts = 101", "hub.retry.attempts: must be between 1 and 100, got 101")]
    [InlineData("initial_delay_seconds = -1", "hub.retry.initial_delay_seconds: must be between 0 and 3600 seconds, got -1")]
    [InlineData("server_offline_wait_seconds = inf", "hub.retry.server_offline_wait_seconds: must be between 0 and 3600 seconds, got inf")]
    [InlineData("server_offline_wait_seconds = nan", "hub.retry.server_offline_wait_seconds: must be between 0 and 3600 seconds, got nan")]
    public void Parse_ReportsOutOfRangeRetrySetting(string keys, string expected)
    {
        var line = ConfigAssert.FailsOnce(Hub("[hub.retry]\n" + keys));

        Assert.Equal($"{F}:4: {expected}", line);
    }

    [Fact]
    public void Parse_RefusesMaxDelay_WhenBelowInitialDelay()
    {
        var line = ConfigAssert.FailsOnce(Hub("[hub.retry]\ninitial_delay_seconds = 10\nmax_delay_seconds = 2.5"));

        Assert.Equal($"{F}:5: hub.retry.max_delay_seconds: must be at least hub.retry.initial_delay_seconds (10), got 2.5", line);
    }

    [Fact]
    public void Parse_RefusesEmptyContentGeneratorName()
    {
        var line = ConfigAssert.FailsOnce("""
            [hub]
            url = "https://koji.example.com/kojihub"
            [hub.content_generator]
            principal = "cg@EXAMPLE.COM"
            name = " "
            """);

        Assert.Equal($"{F}:5: hub.content_generator.name: must not be empty", line);
    }
}
