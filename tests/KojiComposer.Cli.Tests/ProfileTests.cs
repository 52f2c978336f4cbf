using KojiComposer.Testing;
using KojiComposer.Testing.Hub;

namespace KojiComposer.Cli.Tests;

/// <summary>Profiles as koji has them: <c>-p NAME</c>, the user's cli.toml, <c>--hub</c> overriding the profile.</summary>
public sealed class ProfileTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Hello_LogsInAsTheProfilesUser_FromTheUsersCliToml()
    {
        await using var hub = await SimulatedHub.StartAsync();
        _cli.WriteProfile(hub.Url);

        var result = await _cli.RunAsync("hello");

        Assert.True(result.Code == ExitCodes.Success, result.ToString());
        Assert.Equal($"Hello, releng! You are logged in to koji hub {hub.Url} (version 1.35.3).", result.OutLines[0]);
        Assert.Equal($"  principal:  {TestStack.UserPrincipal}, hub identity verified (HTTP/localhost, mutual authentication)", result.OutLines[1]);
    }

    [Fact]
    public async Task ProfileOption_PicksTheNamedTable_AndHubOverridesItsServer()
    {
        await using var hub = await SimulatedHub.StartAsync();
        _cli.WriteUserConfig($"""
            [koji]
            server = "http://127.0.0.1:9/kojihub"
            [sim]
            server = "http://127.0.0.1:9/kojihub"
            principal = "{TestStack.UserPrincipal}"
            keytab = "{TestStack.Keytab("releng")}"
            """);

        var result = await _cli.RunAsync("hello", "-p", "sim", "--hub", hub.Url.AbsoluteUri, "--format", "json");

        Assert.True(result.Code == ExitCodes.Success, result.ToString());
        Assert.Contains("\"user\":\"releng\"", result.Out, StringComparison.Ordinal);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task UnknownProfile_ExitsWithConfigurationCode_NamingTheKnownOnes()
    {
        var path = _cli.WriteUserConfig("[koji]\nserver = \"https://koji.example.com/kojihub\"\n[stg]\nserver = \"https://koji.stg.example.com/kojihub\"\n");

        var result = await _cli.RunAsync("hello", "-p", "prod");

        Assert.Equal(ExitCodes.Configuration, result.Code);
        Assert.Equal($"kojicomposer hello: error: /etc/kojicomposer/cli.toml, {path}: no profile [prod] (profiles: koji, stg)\n", result.Error);
    }

    [Fact]
    public async Task NoProfileAnywhere_SaysToWriteOne_OrPassHub()
    {
        var result = await _cli.RunAsync("hello");

        Assert.Equal(ExitCodes.Configuration, result.Code);
        Assert.Equal(
            $"kojicomposer hello: error: /etc/kojicomposer/cli.toml, {Path.Combine(_cli.Home, ".config/kojicomposer/cli.toml")}: koji.server: no Koji hub: set server = \"https://koji.example.com/kojihub\" in the profile, or pass --hub URL\n",
            result.Error);
    }

    [Fact]
    public async Task InvalidCliToml_ListsItsProblems_AndExitsWithConfigurationCode()
    {
        var path = _cli.WriteUserConfig("[koji]\nserver = \"koji\"\n");

        var result = await _cli.RunAsync("hello");

        Assert.Equal(ExitCodes.Configuration, result.Code);
        Assert.Equal($"kojicomposer hello: error: {path}:2: koji.server: must be an absolute http or https URL, got \"koji\"\n", result.Error);
    }

    [Fact]
    public async Task AProblemInAnotherProfile_DoesNotStopTheSelectedOne_ButStopsItsOwnUsers()
    {
        await using var hub = await SimulatedHub.StartAsync();
        var path = _cli.WriteProfile(hub.Url, extra: "[stg]\nserver = \"https://koji.stg.example.com/kojihub\"\nprincipal = \"releng@STG.EXAMPLE.COM\"\nkeytab = \"/nonexistent/stg.keytab\"\n");
        var keytabLine = File.ReadAllLines(path).ToList().FindIndex(l => l.StartsWith("keytab = \"/nonexistent", StringComparison.Ordinal)) + 1;

        var koji = await _cli.RunAsync("hello");
        var stg = await _cli.RunAsync("-p", "stg", "hello");

        Assert.True(koji.Code == ExitCodes.Success, koji.ToString());
        Assert.Equal("", koji.Error);
        Assert.Equal(ExitCodes.Configuration, stg.Code);
        Assert.Equal($"kojicomposer hello: error: {path}:{keytabLine}: stg.keytab: cannot read keytab \"/nonexistent/stg.keytab\": No such file or directory\n", stg.Error);
    }

    [Fact]
    public async Task MalformedHubOption_IsAUsageError()
    {
        var result = await _cli.RunAsync("hello", "--hub", "koji.example.com");

        Assert.Equal(ExitCodes.Usage, result.Code);
        Assert.Equal("kojicomposer hello: error: --hub: must be an absolute http or https URL, got \"koji.example.com\"\n", result.Error);
    }

    [Fact]
    public async Task UnknownOption_IsAUsageError_NamingTheCommand()
    {
        var result = await _cli.RunAsync("hello", "--bogus");

        Assert.Equal(ExitCodes.Usage, result.Code);
        Assert.StartsWith("kojicomposer hello: error: Unrecognized command or argument '--bogus'.", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("Try 'kojicomposer hello --help'.\n", result.Error, StringComparison.Ordinal);
    }
}
