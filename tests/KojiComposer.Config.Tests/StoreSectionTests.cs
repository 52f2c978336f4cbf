namespace KojiComposer.Config.Tests;

public sealed class StoreSectionTests
{
    private const string F = ConfigAssert.File;

    private const string Secret = "Host=db.example.com;Username=kojicomposer;Password=s3cret-pw";

    [Fact]
    public void Parse_UsesEmbeddedStoreUnderVarLib_WhenStoreSectionIsAbsent()
    {
        var store = ConfigAssert.Parses(ConfigAssert.HubSection).Store;

        Assert.Equal(StoreKind.Embedded, store.Kind);
        Assert.Equal("/var/lib/kojicomposer/kojicomposer.db", store.Path);
        Assert.Null(store.ConnectionString);
        Assert.Equal("kojicomposer", store.Schema);
        Assert.Equal("hangfire", store.HangfireSchema);
    }

    [Fact]
    public void Parse_ReadsEmbeddedPath_WhenAbsolute()
    {
        var store = ConfigAssert.Parses("[store]\nkind = \"embedded\"\npath = \"/srv/kc/state.db\"\n" + ConfigAssert.HubSection).Store;

        Assert.Equal("/srv/kc/state.db", store.Path);
    }

    [Fact]
    public void Parse_RefusesEmbeddedPath_WhenRelative()
    {
        var line = ConfigAssert.FailsOnce("[store]\npath = \"kc.db\"\n" + ConfigAssert.HubSection);

        Assert.Equal($"{F}:2: store.path: must be an absolute path, got \"kc.db\"", line);
    }

    [Fact]
    public void Parse_SuggestsKind_WhenKindIsMisspelt()
    {
        var line = ConfigAssert.FailsOnce("[store]\nkind = \"postgres\"\n" + ConfigAssert.HubSection);

        Assert.Equal($"{F}:2: store.kind: must be one of \"embedded\", \"postgresql\", got \"postgres\"; did you mean \"postgresql\"?", line);
    }

    [Fact]
    public void Parse_ReadsPostgreSqlSettings_WhenConnectionStringIsInline()
    {
        var store = ConfigAssert.Parses($"[store]\nkind = \"postgresql\"\nconnection_string = \"{Secret}\"\nschema = \"kc\"\nhangfire_schema = \"kc_jobs\"\n" + ConfigAssert.HubSection).Store;

        Assert.Equal(StoreKind.PostgreSql, store.Kind);
        Assert.Equal(Secret, store.ConnectionString);
        Assert.Equal("kc", store.Schema);
        Assert.Equal("kc_jobs", store.HangfireSchema);
    }

    [Fact]
    public void Parse_ReadsConnectionStringFromFile_WithoutItsNewline()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("db.conn", Secret + "\n");

        var store = ConfigAssert.Parses($"[store]\nkind = \"postgresql\"\nconnection_string_file = \"{file}\"\n" + ConfigAssert.HubSection).Store;

        Assert.Equal(Secret, store.ConnectionString);
        Assert.Equal(file, store.ConnectionStringFile);
    }

    [Fact]
    public void Parse_RequiresConnectionString_WhenKindIsPostgreSql()
    {
        var line = ConfigAssert.FailsOnce("[store]\nkind = \"postgresql\"\n" + ConfigAssert.HubSection);

        Assert.Equal(
            $"{F}:1: store.connection_string: required when kind = \"postgresql\" (or store.connection_string_file, a file holding it, which keeps a password out of this file)",
            line);
    }

    [Fact]
    public void Parse_RefusesBothConnectionStringAndFile()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("db.conn", Secret);

        var line = ConfigAssert.FailsOnce($"[store]\nkind = \"postgresql\"\nconnection_string = \"{Secret}\"\nconnection_string_file = \"{file}\"\n" + ConfigAssert.HubSection);

        Assert.Equal($"{F}:4: store.connection_string_file: set either store.connection_string or this, not both", line);
    }

    [Fact]
    public void Parse_NamesFileButNotItsContent_WhenConnectionStringFileIsEmptyOrMissing()
    {
        using var dir = new TempDirectory();
        var empty = dir.Write("empty.conn", "\n");
        var missing = Path.Combine(dir.Path, "missing.conn");

        Assert.Equal(
            $"{F}:3: store.connection_string_file: \"{empty}\" is empty; it must hold the Npgsql connection string",
            ConfigAssert.FailsOnce($"[store]\nkind = \"postgresql\"\nconnection_string_file = \"{empty}\"\n" + ConfigAssert.HubSection));
        Assert.Equal(
            $"{F}:3: store.connection_string_file: cannot read connection string file \"{missing}\": No such file or directory",
            ConfigAssert.FailsOnce($"[store]\nkind = \"postgresql\"\nconnection_string_file = \"{missing}\"\n" + ConfigAssert.HubSection));
    }

    [Fact]
    public void Parse_RefusesPostgreSqlKeys_WhenStoreIsEmbedded()
    {
        var lines = ConfigAssert.Fails($"[store]\nconnection_string = \"{Secret}\"\nschema = \"kc\"\n" + ConfigAssert.HubSection);

        Assert.Equal(
            [
                $"{F}:2: store.connection_string: applies to kind = \"postgresql\" only; this store is \"embedded\"",
                $"{F}:3: store.schema: applies to kind = \"postgresql\" only; this store is \"embedded\"",
            ],
            lines);
        Assert.DoesNotContain(lines, l => l.Contains("s3cret", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_RefusesPath_WhenStoreIsPostgreSql()
    {
        var line = ConfigAssert.FailsOnce($"[store]\nkind = \"postgresql\"\nconnection_string = \"{Secret}\"\npath = \"/var/lib/x.db\"\n" + ConfigAssert.HubSection);

        Assert.Equal($"{F}:4: store.path: applies to kind = \"embedded\" only; this store is \"postgresql\"", line);
    }

    [Theory]
    [InlineData("Hangfire")]
    [InlineData("1jobs")]
    [InlineData("kc-jobs")]
    public void Parse_RefusesSchema_WhenNotALowerCaseIdentifier(string schema)
    {
        var line = ConfigAssert.FailsOnce($"[store]\nkind = \"postgresql\"\nconnection_string = \"{Secret}\"\nhangfire_schema = \"{schema}\"\n" + ConfigAssert.HubSection);

        Assert.Equal($"{F}:4: store.hangfire_schema: must be a lower-case SQL identifier (a-z, 0-9, _; at most 63 characters, not starting with a digit), got \"{schema}\"", line);
    }

    [Fact]
    public void ToString_LeavesConnectionStringOut()
    {
        var options = ConfigAssert.Parses($"[store]\nkind = \"postgresql\"\nconnection_string = \"{Secret}\"\n" + ConfigAssert.HubSection);

        Assert.DoesNotContain("s3cret", options.ToString(), StringComparison.Ordinal);
        Assert.Contains("ConnectionString = (set, not shown)", options.Store.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RefusesConnectionString_WhenMalformedOrWithoutHost_WithoutQuotingIt()
    {
        Assert.Equal(
            $"{F}:3: store.connection_string: is not a valid connection string (key=value pairs separated by ';', e.g. \"Host=db.example.com;Database=kojicomposer;Username=kojicomposer\")",
            ConfigAssert.FailsOnce("[store]\nkind = \"postgresql\"\nconnection_string = \"Password='s3cret\"\n" + ConfigAssert.HubSection));
        Assert.Equal(
            $"{F}:3: store.connection_string: the connection string names no Host",
            ConfigAssert.FailsOnce("[store]\nkind = \"postgresql\"\nconnection_string = \"Database=kc;Password=s3cret\"\n" + ConfigAssert.HubSection));
    }

    [Fact]
    public void DescribeConnectionString_NamesHostAndDatabase_NotThePassword()
    {
        Assert.Equal("host db.example.com:5433, database kc", StoreOptions.DescribeConnectionString("Host=db.example.com;Port=5433;Database=kc;Password=s3cret"));
    }
}
