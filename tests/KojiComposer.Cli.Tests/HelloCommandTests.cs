using System.Text.Json;
using KojiComposer.HubSimulator;
using KojiComposer.Testing;
using KojiComposer.Testing.Hub;

namespace KojiComposer.Cli.Tests;

public sealed class HelloCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("kc-cli-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Config(Uri hub, string extra = "")
    {
        var path = Path.Combine(_dir.FullName, "kojicomposer.toml");
        File.WriteAllText(path, $"""
            {extra}
            [hub]
            url = "{hub}"

            [hub.host]
            principal = "{TestStack.HostPrincipal}"
            keytab = "{TestStack.Keytab("builder1")}"

            [hub.content_generator]
            principal = "{TestStack.ContentGeneratorPrincipal}"
            keytab = "{TestStack.Keytab("osbuild-cg")}"

            [hub.retry]
            attempts = 2
            initial_delay_seconds = 0.01
            max_delay_seconds = 0.02
            """);
        return path;
    }

    private static async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Program.RunAsync(args, new CliConsole(output, error));
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Hello_SaysWhoTheHubSaysWeAre_AsTheBuilderHost()
    {
        await using var hub = await SimulatedHub.StartAsync();

        var (code, output, error) = await RunAsync("hello", "--config", Config(hub.Url));

        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal("", error);
        Assert.Equal(
            [
                $"Hello, builder1.koji.test! You are logged in to koji hub {hub.Url} (version 1.35.3).",
                $"  principal:  {TestStack.HostPrincipal}, hub identity verified (HTTP/localhost, mutual authentication)",
                $"  user:       builder1.koji.test (id {hub.Builder1.UserId}, builder host)",
                $"  session:    1, sent in Koji-Session-* headers",
            ],
            output.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Hello_AsContentGenerator_InJson_PutsOnlyDataOnStdout()
    {
        await using var hub = await SimulatedHub.StartAsync(new HubSimulatorOptions { HeaderAuth = false });

        var (code, output, error) = await RunAsync("hello", "--config", Config(hub.Url), "--as", "content-generator", "--format", "json");

        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal("", error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("osbuild-cg", root.GetProperty("user").GetString());
        Assert.Equal("user", root.GetProperty("user_type").GetString());
        Assert.Equal(TestStack.ContentGeneratorPrincipal, root.GetProperty("principal").GetString());
        Assert.Equal("1.35.3", root.GetProperty("hub_version").GetString());
        Assert.False(root.GetProperty("header_sessions").GetBoolean());
        Assert.True(root.GetProperty("mutual_auth").GetBoolean());
    }

    [Fact]
    public async Task Hello_WithTheServicesConfig_LeavesTheServicesCredentialCacheDirectoryAlone()
    {
        // What a running kojicomposerd keeps there: its identities' caches and the client keytab with all their keys.
        var serviceCaches = Directory.CreateDirectory(Path.Combine(_dir.FullName, "ccache")).FullName;
        var keytab = Path.Combine(serviceCaches, "client.keytab");
        File.WriteAllText(keytab, "the service's merged keys");
        await using var hub = await SimulatedHub.StartAsync();

        var (code, _, error) = await RunAsync("hello", "--config", Config(hub.Url, $"[kerberos]\ncredential_cache_dir = \"{serviceCaches}\"\n"));

        Assert.True(code == ExitCodes.Success, error);
        Assert.Equal([keytab], Directory.GetFiles(serviceCaches));
        Assert.Equal("the service's merged keys", File.ReadAllText(keytab));
    }

    [Fact]
    public async Task Hello_ExitsWithConfigurationCode_AndOneLine_WhenConfigIsMissing()
    {
        var missing = Path.Combine(_dir.FullName, "nope.toml");

        var (code, output, error) = await RunAsync("hello", "--config", missing);

        Assert.Equal(ExitCodes.Configuration, code);
        Assert.Equal("", output);
        Assert.Equal($"kojicomposer hello: error: {missing}: cannot read config file: No such file or directory\n", error);
    }

    [Fact]
    public async Task Hello_ExitsWithAuthenticationCode_WhenTheHubDoesNotKnowThePrincipal()
    {
        await using var hub = await SimulatedHub.StartAsync();

        var (code, _, error) = await RunAsync("hello", "--config", Config(hub.Url), "--principal", TestStack.StrangerPrincipal, "--keytab", TestStack.Keytab("stranger"));

        Assert.Equal(ExitCodes.Authentication, code);
        Assert.Equal($"kojicomposer hello: error: koji hub {hub.Url}: sslLogin: AuthError (fault 1002): Unknown user: {TestStack.StrangerPrincipal}\n", error);
    }

    [Fact]
    public async Task Hello_ExitsWithUnreachableCode_WhenNothingListens()
    {
        var url = new Uri("http://localhost:9/kojihub");

        var (code, _, error) = await RunAsync("hello", "--config", Config(url));

        Assert.Equal(ExitCodes.HubUnreachable, code);
        Assert.StartsWith($"kojicomposer hello: error: koji hub {url}: sslLogin: Connection refused", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Hello_ExitsWithHubErrorCode_WhenTheUrlServesHtml()
    {
        await using var hub = await SimulatedHub.StartAsync();
        hub.Hub.AnswerHtml = true;

        var (code, _, error) = await RunAsync("hello", "--config", Config(hub.Url));

        Assert.Equal(ExitCodes.HubError, code);
        Assert.StartsWith($"kojicomposer hello: error: koji hub {hub.Url}: sslLogin: reply is text/html, not XML-RPC", error);
    }

    [Fact]
    public async Task Hello_RefusesAnUnknownIdentityName()
    {
        var (code, _, error) = await RunAsync("hello", "--as", "admin");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("admin", error, StringComparison.Ordinal);
    }
}
