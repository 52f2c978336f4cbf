namespace KojiComposer.Config.Tests;

public sealed class UnknownKeyTests
{
    private const string F = ConfigAssert.File;

    private const string Url = "[hub]\nurl = \"https://koji.example.com/kojihub\"\n";

    [Fact]
    public void Parse_SuggestsClosestKey_WhenKeyIsMisspelt()
    {
        var line = ConfigAssert.FailsOnce(Url + "tiemout_seconds = 30\n" + ConfigAssert.Identities);

        Assert.Equal($"{F}:3: hub.tiemout_seconds: unknown key; did you mean timeout_seconds?", line);
    }

    [Fact]
    public void Parse_SuggestsClosestSection_WhenSectionIsMisspelt()
    {
        var line = ConfigAssert.FailsOnce(Url + ConfigAssert.Identities + "\n[hub.retyr]\nattempts = 3\n");

        Assert.Equal($"{F}:7: hub.retyr: unknown section; did you mean [hub.retry]?", line);
    }

    [Fact]
    public void Parse_ListsKnownSections_WhenTopLevelSectionIsUnknown()
    {
        var line = ConfigAssert.FailsOnce(Url + ConfigAssert.Identities + "\n[database]\nhost = \"db\"\n");

        Assert.Equal($"{F}:7: database: unknown section; expected one of: [service], [hub], [kerberos], [store], [scheduler], [builder], [web]", line);
    }

    [Fact]
    public void Parse_ListsKnownKeys_WhenNothingIsClose()
    {
        var line = ConfigAssert.FailsOnce(Url + ConfigAssert.Identities + "\n[kerberos]\nrealm = \"EXAMPLE.COM\"\n");

        Assert.Equal($"{F}:8: kerberos.realm: unknown key; expected one of: config, credential_cache_dir", line);
    }

    [Fact]
    public void Parse_SuggestsKey_WhenOnlyCaseOrSeparatorDiffers()
    {
        var lines = ConfigAssert.Fails(Url + "URL2 = 1\nupload-chunk-bytes = 65536\n" + ConfigAssert.Identities);

        Assert.Equal(
            [
                $"{F}:3: hub.URL2: unknown key; did you mean url?",
                $"{F}:4: hub.upload-chunk-bytes: unknown key; did you mean upload_chunk_bytes?",
            ],
            lines);
    }

    [Fact]
    public void Parse_QuotesUnknownKey_WhenItIsNotABareKey()
    {
        var line = ConfigAssert.FailsOnce(Url + "\"time out\" = 1\n" + ConfigAssert.Identities);

        Assert.Equal($"{F}:3: hub.\"time out\": unknown key; expected one of: url, topurl, weburl, session_transport, timeout_seconds, upload_chunk_bytes, max_response_bytes, ca_bundle, [hub.host], [hub.content_generator], [hub.retry]", line);
    }

    [Fact]
    public void Parse_ReportsArrayOfTables_AsUnknownSection()
    {
        var line = ConfigAssert.FailsOnce(Url + ConfigAssert.Identities + "\n[[targets]]\nname = \"aws\"\n");

        Assert.Equal($"{F}:7: targets: unknown section; expected one of: [service], [hub], [kerberos], [store], [scheduler], [builder], [web]", line);
    }

    [Fact]
    public void Parse_ReportsUnknownKeyInsideInlineTable()
    {
        var line = ConfigAssert.FailsOnce(Url + "retry = { attempts = 3, attemps = 4 }\n" + ConfigAssert.Identities);

        Assert.Equal($"{F}:3: hub.retry.attemps: unknown key; did you mean attempts?", line);
    }
}
