namespace KojiComposer.Config.Tests;

/// <summary><c>[builder.targets.container]</c>: the registry push keys, credentials as an auth file or as
/// username + password_file.</summary>
public sealed class TargetsContainerTests
{
    private const string F = ConfigAssert.File;

    [Fact]
    public void Parse_AppliesTheContainerDefaults_WhenTheSectionIsAbsent()
    {
        var container = ConfigAssert.Parses("[builder]\narches = [\"x86_64\"]\n" + ConfigAssert.HubSection).Builder.Targets.Container;

        Assert.Equal("skopeo", container.Skopeo);
        Assert.Null(container.Domain);
        Assert.Null(container.Username);
        Assert.Null(container.PasswordFile);
        Assert.True(container.TlsVerify);
        Assert.Equal(3, container.RetryTimes);
        Assert.Equal(TimeSpan.FromHours(1), container.Timeout);
    }

    [Fact]
    public void Parse_ReadsUsernamePasswordFileAndRetryTimes()
    {
        using var dir = new TempDirectory();
        var password = dir.Write("registry-password", "s3cret\n");

        var container = ConfigAssert.Parses($"""
            [builder.targets.container]
            domain = "registry.example.com"
            path_prefix = "/koji/"
            username = "koji-pusher"
            password_file = "{password}"
            retry_times = 0
            """ + ConfigAssert.HubSection).Builder.Targets.Container;

        Assert.Equal("registry.example.com", container.Domain);
        Assert.Equal("koji", container.PathPrefix);
        Assert.Equal("koji-pusher", container.Username);
        Assert.Equal(password, container.PasswordFile);
        Assert.Equal(0, container.RetryTimes);
    }

    [Fact]
    public void Parse_RefusesAUsernameWithoutPasswordFile_AndAPasswordFileWithoutUsername()
    {
        using var dir = new TempDirectory();
        var password = dir.Write("registry-password", "s3cret\n");

        Assert.Equal($"{F}:2: builder.targets.container.username: needs password_file (a file holding the password)",
            ConfigAssert.FailsOnce("[builder.targets.container]\nusername = \"koji\"\n" + ConfigAssert.HubSection));
        Assert.Equal($"{F}:2: builder.targets.container.password_file: needs username (the user the password belongs to)",
            ConfigAssert.FailsOnce($"[builder.targets.container]\npassword_file = \"{password}\"\n" + ConfigAssert.HubSection));
    }

    [Fact]
    public void Parse_RefusesCredentialsTwice_AndABadUsername()
    {
        using var dir = new TempDirectory();
        var password = dir.Write("registry-password", "s3cret\n");
        var auth = dir.Write("auth.json", "{}");

        var lines = ConfigAssert.Fails($"""
            [builder.targets.container]
            username = "a:b"
            password_file = "{password}"
            auth_file_path = "{auth}"
            retry_times = 11
            """ + ConfigAssert.HubSection);

        Assert.Equal(
            [
                $"{F}:2: builder.targets.container.username: must be a non-empty user name without ':'",
                $"{F}:2: builder.targets.container.username: give either auth_file_path or username with password_file, not both",
                $"{F}:5: builder.targets.container.retry_times: must be between 0 and 10, got 11",
            ],
            lines);
        Assert.DoesNotContain(lines, l => l.Contains("s3cret", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://registry.example.com")]
    [InlineData("quay.io/koji")]
    public void Parse_RefusesADomainThatIsNoRegistryHost(string domain)
    {
        Assert.Equal(
            $"{F}:2: builder.targets.container.domain: must be a registry host[:port] such as registry.example.com (no scheme; a path goes in path_prefix), got \"{domain}\"",
            ConfigAssert.FailsOnce($"[builder.targets.container]\ndomain = \"{domain}\"\n" + ConfigAssert.HubSection));
    }

    [Fact]
    public void Parse_KeepsADomainWithPortAndDropsATrailingSlash()
    {
        var container = ConfigAssert.Parses("[builder.targets.container]\ndomain = \"127.0.0.1:5000/\"\n" + ConfigAssert.HubSection).Builder.Targets.Container;

        Assert.Equal("127.0.0.1:5000", container.Domain);
    }

    [Fact]
    public void Parse_RefusesAnUnreadablePasswordFile()
    {
        var line = ConfigAssert.FailsOnce("[builder.targets.container]\nusername = \"koji\"\npassword_file = \"/nonexistent/password\"\n" + ConfigAssert.HubSection);

        Assert.StartsWith($"{F}:3: builder.targets.container.password_file: cannot read the registry password file \"/nonexistent/password\": ", line, StringComparison.Ordinal);
    }
}
