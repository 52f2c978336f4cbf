using KojiComposer.HubBridge.Host;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubSimulator;
using KojiComposer.HubSimulator.State;
using KojiComposer.Testing.Hub;
using Microsoft.Extensions.Logging;

namespace KojiComposer.HubBridge.Tests.Host;

/// <summary>
/// A simulated hub for host-loop tests: the <see cref="SimulatedHub"/> users and hosts, the hub scheduler running
/// every 100 ms on the real clock, destination tag <c>f42</c>, and loops of builder1 with short intervals. Tests
/// wait for what they expect by polling it (<see cref="WaitUntilAsync"/>), never for a fixed time.
/// </summary>
internal sealed class HostLoopSite : IAsyncDisposable
{
    private readonly List<RunningLoop> _loops = [];

    private HostLoopSite(SimulatedHub simulated)
    {
        Simulated = simulated;
    }

    public SimulatedHub Simulated { get; }

    public HubSimulator.HubSimulator Hub => Simulated.Hub;

    public SimHost Builder1 => Simulated.Builder1;

    public SimTag DestTag { get; private set; } = null!;

    public static async Task<HostLoopSite> StartAsync()
    {
        var simulated = await SimulatedHub.StartAsync(new HubSimulatorOptions { RunInterval = TimeSpan.FromMilliseconds(100) });
        var site = new HostLoopSite(simulated);
        site.Seed(state =>
        {
            // builder2 stays away: every task goes to the loop under test.
            state.Hosts[simulated.Builder2.Id].Enabled = false;
            site.DestTag = state.AddTag("f42");
        });
        return site;
    }

    /// <summary>Loop options for builder1: polls, heartbeats and checks every 100-150 ms, short error pauses.</summary>
    public KojiHostLoopOptions Options(int maxTasks = 4) => new()
    {
        Hub = Simulated.ClientOptions(),
        Identity = SimulatedHub.HostIdentity,
        MaxTasks = maxTasks,
        PollInterval = TimeSpan.FromMilliseconds(100),
        HeartbeatInterval = TimeSpan.FromMilliseconds(150),
        CancelCheckInterval = TimeSpan.FromMilliseconds(100),
        ErrorDelay = TimeSpan.FromMilliseconds(50),
        MaxErrorDelay = TimeSpan.FromMilliseconds(400),
    };

    /// <summary>Starts a loop in the background; the site stops it at the end if the test did not.</summary>
    public RunningLoop Start(IKojiTaskJournal journal, KojiHostLoopOptions? options = null, params IKojiTaskHandler[] handlers)
    {
        var logs = new CapturedLogger();
        var loop = new KojiHostLoop(options ?? Options(), journal, handlers, logs);
        var running = new RunningLoop(loop, logs);
        _loops.Add(running);
        return running;
    }

    /// <summary>A FREE task in channel image, owned by releng, as <c>make_task</c> leaves it.</summary>
    public long CreateTask(string method = "osbuildImage", object?[]? arglist = null) =>
        Hub.CreateTask(method, arglist ?? ["Fedora-Cloud", "42", "fedora-42", "qcow2", "f42-candidate", new object?[] { "x86_64" }, new HubBridge.XmlRpc.XmlRpcStruct()], "releng", channel: "image").Id;

    /// <summary>Changes the hub's state directly, as an admin would.</summary>
    public void Seed(Action<HubState> seed) => Hub.Seed(seed);

    /// <summary>Reads the hub's state directly.</summary>
    public T Read<T>(Func<HubState, T> read) => Hub.Read(read);

    public SimTask TaskRow(long id) => Read(s => s.Tasks[id]);

    /// <summary>The hub calls of one method whose first parameter is <paramref name="taskId"/>.</summary>
    public IReadOnlyList<RecordedCall> CallsFor(string method, long taskId) =>
        [.. Hub.CallsTo(method).Where(c => c.Params.Length > 0 && c.Params[0] is int or long && Convert.ToInt64(c.Params[0], System.Globalization.CultureInfo.InvariantCulture) == taskId)];

    public Task<KojiSession> LoginUserAsync() => Simulated.LoginAsync(SimulatedHub.UserIdentity);

    public Task<KojiSession> LoginHostAsync() => Simulated.LoginAsync(SimulatedHub.HostIdentity, exclusive: true);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming <paramref name="what"/> after 30 s.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting until {what}");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var loop in _loops)
        {
            await loop.StopAsync();
            loop.Dispose();
        }

        await Simulated.DisposeAsync();
    }

    /// <summary>A loop running in the background.</summary>
    public sealed class RunningLoop : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();

        public RunningLoop(KojiHostLoop loop, CapturedLogger logs)
        {
            Loop = loop;
            Logs = logs;
            Run = Task.Run(() => loop.RunAsync(_stop.Token));
        }

        public KojiHostLoop Loop { get; }

        public CapturedLogger Logs { get; }

        public Task Run { get; }

        /// <summary>Fires the stop and waits for the loop to end (it must, within 30 s).</summary>
        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await Run.WaitAsync(TimeSpan.FromSeconds(30));
        }

        public void Dispose() => _stop.Dispose();
    }
}

/// <summary>The loop's formatted log lines, for assertions.</summary>
internal sealed class CapturedLogger : ILogger
{
    private readonly List<(LogLevel Level, int EventId, string Text, Exception? Exception)> _lines = [];

    public IReadOnlyList<(LogLevel Level, int EventId, string Text, Exception? Exception)> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lines)
        {
            _lines.Add((logLevel, eventId.Id, formatter(state, exception), exception));
        }
    }
}
