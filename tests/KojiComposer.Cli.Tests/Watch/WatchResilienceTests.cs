using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using KojiComposer.Cli.Commands;
using KojiComposer.Cli.Tests.OsbuildImage;
using KojiComposer.Cli.Watch;
using KojiComposer.HubSimulator;
using KojiComposer.HubSimulator.State;
using Spectre.Console;
using Spectre.Console.Testing;

namespace KojiComposer.Cli.Tests.Watch;

/// <summary>
/// <c>kojicomposer watch</c> when the world misbehaves mid-watch: the hub restarts, compose-status.json is caught
/// while the builder writes it again, the service fails, a canceled task's compose never ends. The hub simulator
/// holds the task (the test moves it and writes its documents as our builder would); a stand-in service answers
/// what a test tells it to.
/// </summary>
public sealed class WatchResilienceTests(OsbuildImageHub hub) : IClassFixture<OsbuildImageHub>, IDisposable
{
    private const string Request = """
        {"distribution": "fedora-42", "image_requests": [{"architecture": "x86_64", "image_type": "guest-image", "repositories": []}],
         "koji": {"name": "Fedora-Cloud", "release": "1", "server": "https://koji.example.com/kojihub", "task_id": 1, "version": "42"}}
        """;

    private const string Building = """{"image_statuses": [{"status": "building"}], "koji_build_id": 7, "koji_task_id": 1, "status": "pending"}""";

    // progress.subprogress is an object in composer's shape; an odd one is not a reason to stop watching.
    private const string OddlyBuilding = """{"image_statuses": [{"status": "building", "progress": {"done": 1, "total": 3, "subprogress": 2}}], "koji_build_id": 7, "koji_task_id": 1, "status": "pending"}""";

    private const string Built = """{"image_statuses": [{"status": "success"}], "koji_build_id": 7, "koji_task_id": 1, "status": "success"}""";

    private readonly List<CliHarness> _clis = [];

    public void Dispose()
    {
        hub.Hub.FailRpcWithStatus = null;
        foreach (var cli in _clis)
        {
            cli.Dispose();
        }
    }

    private CliHarness Cli(Uri? service = null)
    {
        var cli = new CliHarness();
        _clis.Add(cli);
        cli.WriteProfile(hub.Url, service);
        return cli;
    }

    /// <summary>An osbuildImage task a builder has opened, with its compose-request.json attached.</summary>
    private long OpenTask()
    {
        var task = hub.AddOsbuildImage().Id;
        hub.Open(task);
        Attach(task, "compose-request.json", Request);
        return task;
    }

    /// <summary>A task output file, as the builder uploads it (the hub truncates and writes in place).</summary>
    private void Attach(long task, string name, string text)
    {
        var dir = Path.Combine(hub.Hub.WorkDir, "tasks", (task % 10000).ToString(CultureInfo.InvariantCulture), task.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        using var file = new FileStream(Path.Combine(dir, name), FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite);
        file.SetLength(0);
        file.Write(Encoding.UTF8.GetBytes(text));
    }

    private int Calls(string method, long task) => hub.Hub.CallsTo(method).Count(c => Equals(c.Params[0], (int)task));

    private static string Text(long task) => task.ToString(CultureInfo.InvariantCulture);

    /// <summary>Starts a watch of a building task, makes the hub answer 503 for two of its reads once it has read
    /// the task, then lets the task end; returns the run.</summary>
    private async Task<(long Task, CliResult Run)> WatchThroughAnOutageAsync(CliHarness cli)
    {
        var task = OpenTask();
        Attach(task, "compose-status.json", Building);
        var failed = 0;

        var run = cli.RunAsync("watch", Text(task));
        // The second listing: the first read (whose failure is an error at once, not an outage) is over.
        await OsbuildImageHub.UntilAsync(() => Calls("listTaskOutput", task) >= 2, "the watch reads the task again");
        hub.Hub.FailRpcWithStatus = _ =>
        {
            Interlocked.Increment(ref failed);
            return 503;
        };
        // Two attempts per call (max_retries = 2): two reads failed.
        await OsbuildImageHub.UntilAsync(() => Volatile.Read(ref failed) >= 4, "the watch meets the outage");
        hub.Hub.FailRpcWithStatus = null;
        Attach(task, "compose-status.json", Built);
        hub.Finish(task, TaskState.Closed, OsbuildImageHub.Result());
        return (task, await run.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task OnTheHub_AHubRestartMidWatch_IsWaitedOut_SaidOnceOnStderr()
    {
        var (task, run) = await WatchThroughAnOutageAsync(Cli());

        Assert.True(run.Code == ExitCodes.Success, run.ToString());
        Assert.Equal(["Fedora-Cloud-42-1: success (koji build 7, task " + Text(task) + ")", "  x86_64 guest-image: success"], run.OutLines.TakeLast(2));
        var notes = run.Error.TrimEnd('\n').Split('\n');
        Assert.Equal(2, notes.Length);
        Assert.StartsWith($"kojicomposer watch: profile [koji] names no KojiComposer service: following koji task {task} on the hub", notes[0], StringComparison.Ordinal);
        Assert.Matches(
            $@"^kojicomposer watch: koji hub {System.Text.RegularExpressions.Regex.Escape(hub.Url.AbsoluteUri)}: \w+: HTTP 503 Service Unavailable: simulated HTTP 503 \(gave up after 2 attempts\); still watching: asking again every 0\.2 s$",
            notes[1]);
    }

    [Fact]
    public async Task OnATerminal_AHubRestartMidWatch_IsShownInTheLiveDisplay_UntilTheHubAnswers()
    {
        var terminal = new TestConsole().Width(200).Colors(ColorSystem.NoColors);
        var cli = Cli();
        cli.OutputIsTerminal = true;
        cli.Terminal = terminal;

        var (_, run) = await WatchThroughAnOutageAsync(cli);

        // A line on stderr would break the live display: the notice is part of it, gone once the hub answers.
        Assert.True(run.Code == ExitCodes.Success, run.ToString());
        Assert.Single(run.Error.TrimEnd('\n').Split('\n'));
        Assert.Contains("; still watching: asking again every 0.2 s", terminal.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("still watching", WatchOutput.LastFrame(terminal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnTheHub_AStatusDocumentHalfWrittenOrGoneForAMoment_IsReadAgainNextTime()
    {
        var task = OpenTask();
        Attach(task, "compose-status.json", Building[..40]);
        Assert.True(hub.Hub.Dispatcher.TryGet("downloadTaskOutput", out var download));
        var gone = 0;

        var run = Cli().RunAsync("watch", Text(task));
        try
        {
            await OsbuildImageHub.UntilAsync(() => hub.Hub.CallsTo("downloadTaskOutput").Count(c => Equals(c.Params[1], "compose-status.json") && Equals(c.Params[0], (int)task)) >= 1, "the half-written document is read");
            // Listed, then gone when asked for: the hub's answer while the builder replaces it.
            hub.Hub.Dispatcher.Register("downloadTaskOutput", call => Equals(call.Positional[1], "compose-status.json") && Interlocked.Increment(ref gone) == 1
                ? throw HubFault.Generic($"no file \"compose-status.json\" output by task {task}")
                : download(call));
            Attach(task, "compose-status.json", OddlyBuilding);
            await OsbuildImageHub.UntilAsync(() => Volatile.Read(ref gone) >= 2, "the document is read once it is there again");
            var lists = Calls("listTaskOutput", task);
            await OsbuildImageHub.UntilAsync(() => Calls("listTaskOutput", task) > lists, "the next poll, after that read");
        }
        finally
        {
            hub.Hub.Dispatcher.Register("downloadTaskOutput", download);
        }

        Attach(task, "compose-status.json", Built);
        hub.Finish(task, TaskState.Closed, OsbuildImageHub.Result());
        var result = await run.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.Code == ExitCodes.Success, result.ToString());
        Assert.Contains("x86_64 guest-image: building 1/3", result.OutLines);
        Assert.Equal(["Fedora-Cloud-42-1: success (koji build 7, task " + Text(task) + ")", "  x86_64 guest-image: success"], result.OutLines.TakeLast(2));
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task ThroughTheService_AServiceFailureMidWatch_FollowsTheTaskOnTheHub()
    {
        var task = OpenTask();
        Attach(task, "compose-status.json", Building);
        var compose = Guid.NewGuid();
        var asked = 0;
        await using var service = await StandInService.StartAsync(path =>
            Interlocked.Increment(ref asked) == 1 ? (200, ComposeList(compose, task, "running")) : (500, """{"kind": "Error", "id": "10", "reason": "Internal error"}"""));

        var run = Cli(service.Url).RunAsync("watch", Text(task));
        await OsbuildImageHub.UntilAsync(() => Volatile.Read(ref asked) >= 2 && Calls("listTaskOutput", task) >= 1, "the watch turns to the hub");
        Attach(task, "compose-status.json", Built);
        hub.Finish(task, TaskState.Closed, OsbuildImageHub.Result());
        var result = await run.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.Code == ExitCodes.Success, result.ToString());
        var error = Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"kojicomposer watch: KojiComposer service {service.Url.GetLeftPart(UriPartial.Authority)}: GET /api/image-builder-composer/v2/composes/{compose}: ", error, StringComparison.Ordinal);
        Assert.EndsWith($"; following koji task {task} on the hub instead", error, StringComparison.Ordinal);
        Assert.Equal("  x86_64 guest-image: success", result.OutLines[^1]);
    }

    [Fact]
    public async Task ThroughTheService_ACanceledTaskWhoseComposeNeverEnds_EndsAfterTheGrace_AsCanceled()
    {
        var task = OpenTask();
        var compose = Guid.NewGuid();
        await using var service = await StandInService.StartAsync(path =>
            (200, path.Contains("task_id=", StringComparison.Ordinal) ? ComposeList(compose, task, "running") : Compose(compose, task, "running").ToJsonString()));
        hub.Finish(task, TaskState.Canceled);
        var cli = Cli(service.Url);
        var (output, errors) = (new StringWriter(), new StringWriter());
        var console = new CliConsole(output, errors) { Environment = name => name == "HOME" ? cli.Home : null };
        var parse = Program.BuildRoot(console).Parse(["watch", Text(task)]);
        using var context = new CommandContext(parse, console);

        var code = await new WatchRunner(context) { ComposeGrace = TimeSpan.Zero }.RunAsync(WatchTarget.Task(task), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal(
            [
                $"Watching Fedora-Cloud-42-1 (compose {compose}, koji task {task})",
                "Fedora-Cloud-42-1: running",
                "x86_64 guest-image: building",
                "Fedora-Cloud-42-1: canceled (koji build 7, task " + Text(task) + ")",
                "  x86_64 guest-image: building",
                $"  koji task {task}: canceled",
            ],
            output.ToString().TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task OnTheHub_NoAnswerForTheOutageLimit_StopsTheWatch_SayingHowToGoOn()
    {
        var task = OpenTask();
        var cli = Cli();
        var console = new CliConsole(TextWriter.Null, TextWriter.Null) { Environment = name => name == "HOME" ? cli.Home : null };
        var parse = Program.BuildRoot(console).Parse(["watch", Text(task)]);
        using var context = new CommandContext(parse, console);

        var watch = new WatchRunner(context) { OutageLimit = TimeSpan.Zero }.RunAsync(WatchTarget.Task(task), CancellationToken.None);
        // The second listing: the first read (whose failure is an error at once, not an outage) is over.
        await OsbuildImageHub.UntilAsync(() => Calls("listTaskOutput", task) >= 2, "the second read");
        hub.Hub.FailRpcWithStatus = _ => 503;
        var error = await Assert.ThrowsAsync<BaseCommand.CliException>(() => watch.WaitAsync(TimeSpan.FromSeconds(30)));
        hub.Hub.FailRpcWithStatus = null;

        Assert.Equal(ExitCodes.HubUnreachable, error.Code);
        Assert.Matches(
            $@"^koji hub {System.Text.RegularExpressions.Regex.Escape(hub.Url.AbsoluteUri)}: \w+: HTTP 503 Service Unavailable: simulated HTTP 503 \(gave up after 2 attempts\); no answer for 0 s, so the watch stops; koji task {task} goes on: watch it again with: kojicomposer watch {task}$",
            error.Message);
    }

    private static string ComposeList(Guid compose, long task, string state) =>
        new JsonObject { ["items"] = new JsonArray(Compose(compose, task, state)) }.ToJsonString();

    /// <summary>The service's ComposeStatus with its kojicomposer fields, as far as watch reads it.</summary>
    private static JsonObject Compose(Guid compose, long task, string state) => new()
    {
        ["id"] = compose.ToString(),
        ["status"] = state == "running" ? "pending" : state,
        ["kojicomposer"] = new JsonObject
        {
            ["state"] = state,
            ["nvr"] = "Fedora-Cloud-42-1",
            ["koji_task_id"] = task,
            ["koji_build_id"] = 7,
            ["images"] = new JsonArray(new JsonObject { ["arch"] = "x86_64", ["image_type"] = "guest-image", ["state"] = "building" }),
        },
    };

    /// <summary>A KojiComposer API that answers each request with what the test says (status, JSON body).</summary>
    private sealed class StandInService : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Func<string, (int Status, string Body)> _answer;
        private readonly Task _loop;

        private StandInService(Func<string, (int, string)> answer, int port)
        {
            _answer = answer;
            Url = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
            _listener.Prefixes.Add(Url.AbsoluteUri);
            _listener.Start();
            _loop = Task.Run(ServeAsync);
        }

        public Uri Url { get; }

        public static Task<StandInService> StartAsync(Func<string, (int, string)> answer)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return Task.FromResult(new StandInService(answer, port));
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext http;
                try
                {
                    http = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                var (status, body) = _answer(http.Request.Url!.PathAndQuery);
                var bytes = Encoding.UTF8.GetBytes(body);
                http.Response.StatusCode = status;
                http.Response.ContentType = "application/json";
                await http.Response.OutputStream.WriteAsync(bytes);
                http.Response.Close();
            }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            _listener.Close();
            await _loop;
        }
    }
}
