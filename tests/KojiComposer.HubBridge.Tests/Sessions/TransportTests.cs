using System.Net;
using System.Net.Sockets;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubBridge.Transport;
using KojiComposer.Testing.Hub;

namespace KojiComposer.HubBridge.Tests.Sessions;

public sealed class TransportTests
{
    [Fact]
    public async Task Call_NamesHubAndCall_WhenHubAnswersWithHtml()
    {
        await using var hub = await SimulatedHub.StartAsync();
        using var connection = new KojiHubConnection(hub.ClientOptions());
        hub.Hub.AnswerHtml = true;

        var error = await Assert.ThrowsAsync<KojiProtocolException>(() => connection.GetBuildTargetAsync("f42-candidate"));

        Assert.StartsWith(
            $"koji hub {hub.Url}: getBuildTarget: reply is text/html, not XML-RPC (is {hub.Url} the hub's XML-RPC URL, usually ending in /kojihub?): <!DOCTYPE html>",
            error.Message);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task Call_GivesUpWithOneLine_WhenNothingListens()
    {
        var port = FreePort();
        var options = new KojiHubOptions
        {
            Url = new Uri($"http://localhost:{port}/kojihub"),
            Retry = new KojiRetryOptions { Attempts = 3, InitialDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) },
        };
        using var connection = new KojiHubConnection(options);

        var error = await Assert.ThrowsAsync<KojiTransportException>(() => connection.GetApiVersionAsync());

        Assert.StartsWith($"koji hub http://localhost:{port}/kojihub: getAPIVersion: Connection refused", error.Message);
        Assert.EndsWith("(gave up after 3 attempts)", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task Call_IsRetried_WhenHubAnswers503()
    {
        await using var hub = await SimulatedHub.StartAsync();
        var failures = 2;
        hub.Hub.FailRpcWithStatus = method => method == "getAPIVersion" && failures-- > 0 ? 503 : null;
        using var connection = new KojiHubConnection(hub.ClientOptions());

        Assert.Equal(1, await connection.GetApiVersionAsync());
        Assert.Equal(-1, failures);
    }

    [Fact]
    public async Task Call_IsNotRetried_WhenHubAnswers404()
    {
        await using var hub = await SimulatedHub.StartAsync();
        var options = hub.ClientOptions() with { Url = new Uri(hub.Url, "/wrong") };
        using var connection = new KojiHubConnection(options);

        var error = await Assert.ThrowsAsync<KojiProtocolException>(() => connection.GetApiVersionAsync());

        Assert.Equal($"koji hub {options.Url}: getAPIVersion: HTTP 404 Not Found: Not Found", error.Message);
        Assert.Equal(404, error.HttpStatus);
    }

    [Fact]
    public async Task Call_DoesNotFollowARedirect_AndNamesWhereItPoints()
    {
        await using var hub = await SimulatedHub.StartAsync();
        hub.Hub.FailRpcWithStatus = method => method == "getAPIVersion" ? 301 : null;
        hub.Hub.RedirectTo = new Uri("https://elsewhere.example.com/kojihub?session-key=x");
        using var connection = new KojiHubConnection(hub.ClientOptions());

        var error = await Assert.ThrowsAsync<KojiProtocolException>(() => connection.GetApiVersionAsync());

        Assert.Equal($"koji hub {hub.Url}: getAPIVersion: HTTP 301 Moved Permanently: the hub redirects to https://elsewhere.example.com/kojihub; configure that URL (redirects are not followed: they would carry the session)", error.Message);
    }

    [Fact]
    public async Task Call_NamesTheDroppedConnection_WhenEveryReplyIsLost()
    {
        await using var hub = await SimulatedHub.StartAsync();
        hub.Hub.DropReplyAfterRunning = method => method == "echo";
        using var connection = new KojiHubConnection(hub.ClientOptions());

        var error = await Assert.ThrowsAsync<KojiTransportException>(() => connection.EchoAsync(default, "x"));

        Assert.StartsWith($"koji hub {hub.Url}: echo: ", error.Message);
        Assert.EndsWith("(gave up after 5 attempts)", error.Message);
        Assert.Equal(5, hub.Hub.CallsTo("echo").Count);
    }

    [Fact]
    public async Task AnonymousReads_CarryNoSession()
    {
        await using var hub = await SimulatedHub.StartAsync();
        using var connection = new KojiHubConnection(hub.ClientOptions());

        Assert.Null(await connection.GetLoggedInUserAsync());
        Assert.Equal("1.35.3", await connection.GetKojiVersionAsync());
        Assert.Equal("1.35.3", connection.HubVersion);
        Assert.All(hub.Hub.Calls, c => Assert.Null(c.SessionVia));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
