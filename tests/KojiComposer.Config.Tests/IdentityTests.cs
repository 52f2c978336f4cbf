namespace KojiComposer.Config.Tests;

public sealed class IdentityTests
{
    private const string F = ConfigAssert.File;

    private const string Url = "[hub]\nurl = \"https://koji.example.com/kojihub\"\n";

    private const string LockoutReason =
        "the host's exclusive session locks out every other session of the same Koji user (\"User locked by another session\", koji-wire.md §4.2)";

    [Fact]
    public void Parse_RefusesIdenticalPrincipals_ExplainingTheExclusiveSessionLockout()
    {
        var line = ConfigAssert.FailsOnce(Url + """
            [hub.host]
            principal = "osbuild@EXAMPLE.COM"
            [hub.content_generator]
            principal = "osbuild@EXAMPLE.COM"
            """);

        Assert.Equal($"{F}:6: hub.content_generator.principal: must differ from hub.host.principal: {LockoutReason}", line);
    }

    [Fact]
    public void Parse_RefusesTwoAmbientIdentities_BecauseOneCacheHoldsOnePrincipal()
    {
        var line = ConfigAssert.FailsOnce(Url);

        Assert.Equal(
            $"{F}: hub.content_generator.principal: required when hub.host.principal is not set either: both identities would log in as the ambient credential cache's principal, and {LockoutReason}",
            line);
    }

    [Fact]
    public void Parse_AcceptsAmbientHostIdentity_WhenContentGeneratorNamesItsPrincipal()
    {
        var options = KojiComposerConfiguration.Parse(Url + "[hub.content_generator]\nprincipal = \"cg@EXAMPLE.COM\"\n", F);

        Assert.Null(options.Hub!.Host.Principal);
        Assert.Equal("cg@EXAMPLE.COM", options.Hub!.ContentGenerator.Principal);
    }

    [Theory]
    [InlineData("osbuild")]
    [InlineData("osbuild@")]
    [InlineData("@EXAMPLE.COM")]
    [InlineData("compile/@EXAMPLE.COM")]
    [InlineData("a/b/c@EXAMPLE.COM")]
    [InlineData("os build@EXAMPLE.COM")]
    public void Parse_RefusesMalformedPrincipal(string principal)
    {
        var line = ConfigAssert.FailsOnce(Url + $"[hub.host]\nprincipal = \"{principal}\"\n[hub.content_generator]\nprincipal = \"cg@EXAMPLE.COM\"\n");

        Assert.Equal($"{F}:4: hub.host.principal: must look like name[/instance]@REALM, got \"{principal}\"", line);
    }

    [Fact]
    public void Parse_NamesKeytabAndReason_WhenKeytabDoesNotExist()
    {
        using var dir = new TempDirectory();
        var keytab = Path.Combine(dir.Path, "cg.keytab");

        var line = ConfigAssert.FailsOnce(Url + $"[hub.content_generator]\nprincipal = \"cg@EXAMPLE.COM\"\nkeytab = \"{keytab}\"\n");

        Assert.Equal($"{F}:5: hub.content_generator.keytab: cannot read keytab \"{keytab}\": No such file or directory", line);
    }

    [Fact]
    public void Parse_NamesKeytabAndReason_WhenKeytabIsADirectory()
    {
        using var dir = new TempDirectory();

        var line = ConfigAssert.FailsOnce(Url + $"[hub.content_generator]\nprincipal = \"cg@EXAMPLE.COM\"\nkeytab = \"{dir.Path}\"\n");

        Assert.Equal($"{F}:5: hub.content_generator.keytab: cannot read keytab \"{dir.Path}\": Is a directory", line);
    }

    [Fact]
    public void Parse_RefusesRelativeKeytabPath()
    {
        var line = ConfigAssert.FailsOnce(Url + "[hub.content_generator]\nprincipal = \"cg@EXAMPLE.COM\"\nkeytab = \"cg.keytab\"\n");

        Assert.Equal($"{F}:5: hub.content_generator.keytab: must be an absolute path, got \"cg.keytab\"", line);
    }

    [Fact]
    public void Parse_RequiresPrincipal_WhenKeytabIsGiven()
    {
        using var dir = new TempDirectory();
        var keytab = dir.Write("host.keytab", "k");

        var line = ConfigAssert.FailsOnce(Url + $"[hub.host]\nkeytab = \"{keytab}\"\n[hub.content_generator]\nprincipal = \"cg@EXAMPLE.COM\"\n");

        Assert.Equal($"{F}:4: hub.host.keytab: needs hub.host.principal as well: name the keytab's principal to log in as", line);
    }

    [Fact]
    public void Parse_NamesKrb5ConfAndReason_WhenItDoesNotExist()
    {
        var line = ConfigAssert.FailsOnce(Url + ConfigAssert.Identities + "\n[kerberos]\nconfig = \"/nonexistent/krb5.conf\"\n");

        Assert.Equal($"{F}:8: kerberos.config: cannot read Kerberos configuration \"/nonexistent/krb5.conf\": No such file or directory", line);
    }
}
