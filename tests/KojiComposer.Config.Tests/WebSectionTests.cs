namespace KojiComposer.Config.Tests;

public sealed class WebSectionTests
{
    private const string F = ConfigAssert.File;

    private const string Hash = "pbkdf2-sha256$600000$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=";

    [Fact]
    public void Parse_ListensOnLoopbackOnly_WhenWebSectionIsAbsent()
    {
        var web = ConfigAssert.Parses(ConfigAssert.HubSection).Web;

        Assert.Equal(["http://127.0.0.1:8700"], web.Listen);
        Assert.Null(web.PublicUrl);
        Assert.Null(web.KojiWebUrl);
        Assert.False(web.AllowRemote);
        Assert.Empty(web.Users);
        Assert.Empty(web.Negotiate);
    }

    [Fact]
    public void Parse_ReadsUsersAndPrincipals_AsArraysOfTables()
    {
        var web = ConfigAssert.Parses($$"""
            [web]
            listen = ["http://*:8700", "https://[::1]:8443"]
            public_url = "https://composer.example.com/"
            koji_web_url = "https://koji.example.com/koji"
            allow_remote = true
            [[web.users]]
            name = "releng"
            password_hash = "{{Hash}}"
            role = "operator"
            [[web.users]]
            name = "viewer"
            password_hash = "{{Hash}}"
            [[web.negotiate]]
            principal = "alice@EXAMPLE.COM"
            role = "operator"
            """ + ConfigAssert.HubSection).Web;

        Assert.Equal(["http://*:8700", "https://[::1]:8443"], web.Listen);
        Assert.Equal(new Uri("https://composer.example.com/"), web.PublicUrl);
        Assert.Equal(new Uri("https://koji.example.com/koji"), web.KojiWebUrl);
        Assert.True(web.AllowRemote);
        Assert.Equal(
            [new WebUserOptions { Name = "releng", PasswordHash = Hash, Role = WebRole.Operator }, new WebUserOptions { Name = "viewer", PasswordHash = Hash, Role = WebRole.ReadOnly }],
            web.Users);
        Assert.Equal([new WebNegotiateOptions { Principal = "alice@EXAMPLE.COM", Role = WebRole.Operator }], web.Negotiate);
    }

    [Fact]
    public void Parse_ReadsInlineArrayOfTables_LikeDoubleBracketTables()
    {
        var web = ConfigAssert.Parses("[web]\nnegotiate = [{ principal = \"bob@EXAMPLE.COM\" }, { principal = \"carol@EXAMPLE.COM\", role = \"operator\" }]\n" + ConfigAssert.HubSection).Web;

        Assert.Equal(["bob@EXAMPLE.COM", "carol@EXAMPLE.COM"], web.Negotiate.Select(n => n.Principal));
        Assert.Equal([WebRole.ReadOnly, WebRole.Operator], web.Negotiate.Select(n => n.Role));
    }

    [Theory]
    [InlineData("127.0.0.1:8700")]
    [InlineData("ftp://127.0.0.1:21")]
    [InlineData("http://127.0.0.1")]
    [InlineData("http://127.0.0.1:8700/api")]
    public void Parse_RefusesListenUrl_WhenNotSchemeAddressPort(string url)
    {
        var line = ConfigAssert.FailsOnce($"[web]\nlisten = [\"{url}\"]\n" + ConfigAssert.HubSection);

        Assert.Equal($"{F}:2: web.listen: must be http://address:port or https://address:port (address \"*\" for all), got \"{url}\"", line);
    }

    [Theory]
    [InlineData("http://localhost:0")]
    [InlineData("http://[::1]:8700")]
    [InlineData("http://127.0.0.2:8700")]
    public void Parse_AcceptsLoopbackListenUrl_WithoutAllowRemote(string url)
    {
        Assert.Equal([url], ConfigAssert.Parses($"[web]\nlisten = [\"{url}\"]\n" + ConfigAssert.HubSection).Web.Listen);
    }

    [Fact]
    public void Parse_RefusesNonLoopbackListen_WhenRemoteAccessIsNotAllowed()
    {
        var line = ConfigAssert.FailsOnce("[web]\nlisten = [\"http://0.0.0.0:8700\"]\n" + ConfigAssert.HubSection);

        Assert.Equal($"{F}:2: web.listen: \"http://0.0.0.0:8700\" accepts connections from other machines; set web.allow_remote = true and configure [[web.users]] or [[web.negotiate]]", line);
    }

    [Fact]
    public void Parse_RefusesRemoteAccess_WhenNobodyIsConfigured()
    {
        var line = ConfigAssert.FailsOnce("[web]\nlisten = [\"http://*:8700\"]\nallow_remote = true\n" + ConfigAssert.HubSection);

        Assert.Equal($"{F}:3: web.allow_remote: remote access needs someone to let in: add [[web.users]] or [[web.negotiate]] entries", line);
    }

    [Fact]
    public void Parse_NamesEntryAndKey_WhenAUserIsIncompleteOrWrong()
    {
        var lines = ConfigAssert.Fails($$"""
            [[web.users]]
            name = "releng"
            [[web.users]]
            name = "releng"
            password_hash = "{{Hash}}"
            role = "admin"
            [[web.users]]
            name = "ops"
            password_hash = "{{Hash}}"
            passwd = "hunter2"
            """ + ConfigAssert.HubSection);

        Assert.Equal(
            [
                $"{F}:1: web.users[0].password_hash: required key is missing",
                $"{F}:4: web.users[1].name: user \"releng\" is listed twice",
                $"{F}:6: web.users[1].role: must be one of \"read-only\", \"operator\", got \"admin\"",
                $"{F}:10: web.users[2].passwd: unknown key; expected one of: name, password_hash, role",
            ],
            lines);
    }

    [Fact]
    public void Parse_RefusesNegotiateEntry_WhenPrincipalIsMissingOrMalformed()
    {
        var lines = ConfigAssert.Fails("[[web.negotiate]]\nrole = \"operator\"\n[[web.negotiate]]\nprincipal = \"alice\"\n" + ConfigAssert.HubSection);

        Assert.Equal(
            [
                $"{F}:1: web.negotiate[0].principal: required key is missing",
                $"{F}:4: web.negotiate[1].principal: must look like name[/instance]@REALM, got \"alice\"",
            ],
            lines);
    }

    [Fact]
    public void Parse_RefusesUsers_WhenNotAnArrayOfTables()
    {
        var line = ConfigAssert.FailsOnce("[web]\nusers = \"releng\"\n" + ConfigAssert.HubSection);

        Assert.Equal($"{F}:2: web.users: expected an array of tables ([[web.users]]), got a string", line);
    }

    [Fact]
    public void ToString_LeavesPasswordHashesOut()
    {
        var options = ConfigAssert.Parses($"[[web.users]]\nname = \"releng\"\npassword_hash = \"{Hash}\"\n" + ConfigAssert.HubSection);

        Assert.DoesNotContain("argon2", options.Web.Users[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RefusesAPasswordInPasswordHash_WithoutQuotingIt()
    {
        var line = Assert.Single(ConfigAssert.Fails("[[web.users]]\nname = \"releng\"\npassword_hash = \"hunter2\"\n" + ConfigAssert.HubSection));

        Assert.Equal($"{F}:3: web.users[0].password_hash: must be a hash made with \"kojicomposerd hash-password\" (pbkdf2-sha256$iterations$salt$hash), not a password", line);
        Assert.DoesNotContain("hunter2", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"operator\"", WebRole.Operator)]
    [InlineData("\"read-only\"", WebRole.ReadOnly)]
    [InlineData("\"none\"", null)]
    public void Parse_ReadsTheRoleOfLocalRequests(string value, WebRole? expected)
    {
        var options = KojiComposerConfiguration.Parse($"[web]\nlocal_role = {value}\n" + ConfigAssert.HubSection, F);

        Assert.Equal(expected, options.Web.LocalRole);
    }
}
