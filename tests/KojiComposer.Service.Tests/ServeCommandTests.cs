using KojiComposer.Testing.Logging;
using System.Net;
using System.Net.Sockets;
using KojiComposer.Config;
using KojiComposer.Service.Hosting;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Service.Tests;

public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_RefusesToStart_WithFileLineKeyAndProblemOnStderr_WhenConfigIsInvalid()
    {
        using var config = new ServiceConfig("[store]\nkind = \"postgresql\"\n[web]\nlisten = [\"http://0.0.0.0:8700\"]\n" + ServiceConfig.Hub);

        var run = await CommandRun.RunAsync("serve", "--config", config.Path);

        Assert.Equal(ExitCodes.Configuration, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Equal(
            [
                $"kojicomposerd serve: {config.Path}: 2 problems in the configuration:",
                $"{config.Path}:1: store.connection_string: required when kind = \"postgresql\" (or store.connection_string_file, a file holding it, which keeps a password out of this file)",
                $"{config.Path}:4: web.listen: \"http://0.0.0.0:8700\" accepts connections from other machines; set web.allow_remote = true and configure [[web.users]] or [[web.negotiate]]",
            ],
            run.ErrorLines);
    }

    [Fact]
    public async Task Serve_ListensAndStopsCleanly_WhenCancelled()
    {
        var port = FreePort();
        using var config = ServiceConfig.AllInOne($"http://127.0.0.1:{port}");
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var serve = CommandRun.RunAsync(stop.Token, "serve", "--config", config.Path);
        await WaitUntilListeningAsync(port, serve);
        await stop.CancelAsync();
        var run = await serve;

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("", run.Error);
        // The embedded compose store was created and migrated where store.path says.
        Assert.True(File.Exists(Path.Combine(config.Directory, "kojicomposer.db")));
    }

    [Fact]
    public async Task Serve_ExitsOne_WithTheCauseOnStderr_WhenTheStoreCannotBeOpened()
    {
        // /proc refuses new directories even to root, so the store cannot be created there.
        using var config = new ServiceConfig("[store]\npath = \"/proc/kojicomposer-no-such-dir/kc.db\"\n[web]\nlisten = [\"http://127.0.0.1:0\"]\n[builder]\n" + ServiceConfig.Tools + ServiceConfig.Hub);

        var run = await CommandRun.RunAsync("serve", "--config", config.Path);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("kojicomposerd serve: error: ", line, StringComparison.Ordinal);
        Assert.Contains("/proc/kojicomposer-no-such-dir/kc.db", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServiceHost_LogsRolesStoreAndBoundAddress_WithoutTheConnectionString()
    {
        using var config = ServiceConfig.AllInOne("http://127.0.0.1:0");
        var options = KojiComposerConfiguration.Load(config.Path);
        var logs = new CapturedLogs();

        await using var host = ServiceHost.Build(options, logging => logging.AddProvider(logs));
        await host.StartAsync(CancellationToken.None);
        var address = Assert.Single(host.Addresses);
        using (var http = new HttpClient())
        {
            // Any HTTP answer proves the listener; the routes are the scheduler's (its /health is tested with it).
            using var response = await http.GetAsync(new Uri(new Uri(address), "/no-such-page"));
            Assert.True(response.StatusCode >= HttpStatusCode.OK);
        }

        await host.StopAsync();

        Assert.Contains($"Starting kojicomposerd", logs.Lines[0], StringComparison.Ordinal);
        Assert.Contains($"roles scheduler, builder, hub-bridge; store embedded, {config.Directory}/kojicomposer.db; config {config.Path}", logs.Lines[0], StringComparison.Ordinal);
        Assert.Contains($"Listening on {address}", logs.Lines);
        Assert.Contains("Stopping: running steps have 2 s to finish before they are handed back", logs.Lines);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitUntilListeningAsync(int port, Task<CommandRun> serve)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (serve.IsCompleted)
            {
                var run = await serve;
                Assert.Fail($"serve stopped with {run.ExitCode} before listening: {run.Error}");
            }

            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        Assert.Fail($"serve did not listen on port {port} within 60 s");
    }
}
