using KojiComposer.HubBridge.Sessions;
using Microsoft.Extensions.Logging;

namespace KojiComposer.HubBridge.Host;

/// <summary>
/// The builder host (koji-wire.md §9): logs in as the host principal with an exclusive session, keeps
/// <c>host.updateHost</c> going on its own subsession, polls <c>host.getTasks</c>, refuses the methods it has no
/// handler for, records (<see cref="IKojiTaskJournal.ReceivedAsync"/>), opens and weighs every other assigned task,
/// runs it with its <see cref="IKojiTaskHandler"/>, watches our open tasks for cancellation, and reports each
/// outcome. At start-up it reconciles the journal with the hub: tasks still OPEN for us are resumed.
/// </summary>
/// <remarks>
/// Three loops share one control subsession: the heartbeat (<see cref="KojiHostLoopOptions.HeartbeatInterval"/>,
/// never held up by a handler or a poll), the poll (intake) and the cancellation watch. Handlers get the master
/// session. Every error of a round is logged once per distinct text, shown in <see cref="Status"/>, and followed by
/// a pause that doubles up to <see cref="KojiHostLoopOptions.MaxErrorDelay"/>; nothing but the stop ends the loop.
/// </remarks>
public sealed partial class KojiHostLoop
{
    private const string TagBuildMethod = "tagBuild";

    private readonly KojiHostLoopOptions _options;
    private readonly IKojiTaskJournal _journal;
    private readonly IReadOnlyDictionary<string, IKojiTaskHandler> _handlers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _hub;
    private int _started;
    private KojiSession _master = null!;
    private long _hostId;
    private string _hostName = string.Empty;
    private volatile bool _accepting;
    private volatile bool _shuttingDown;
    private CancellationToken _stopping = new(canceled: true);

    /// <summary>A loop for one host identity; <see cref="RunAsync"/> may be called once.</summary>
    /// <param name="options">Hub, identity and pacing.</param>
    /// <param name="journal">Where taken tasks are recorded durably.</param>
    /// <param name="handlers">One per Koji method; tasks of other methods are refused.</param>
    /// <param name="logger">The loop's log.</param>
    /// <param name="time">The clock of its pauses (tests: a manual clock).</param>
    /// <exception cref="ArgumentException">An option is out of range, or two handlers are for the same method.</exception>
    public KojiHostLoop(KojiHostLoopOptions options, IKojiTaskJournal journal, IEnumerable<IKojiTaskHandler> handlers, ILogger logger, TimeProvider? time = null)
    {
        Validate(options);
        _options = options;
        _journal = journal;
        var byMethod = new Dictionary<string, IKojiTaskHandler>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            if (!byMethod.TryAdd(handler.Method, handler))
            {
                throw new ArgumentException($"two task handlers for method {handler.Method}: {byMethod[handler.Method].GetType().Name} and {handler.GetType().Name}", nameof(handlers));
            }
        }

        _handlers = byMethod;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _hub = options.Hub.Url.AbsoluteUri;
    }

    /// <summary>The methods we handle, as sent with <c>host.updateHost</c>.</summary>
    public IReadOnlyList<string> Methods => [.. _handlers.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Runs until <paramref name="stopping"/>; errors are logged and retried, never thrown. On stop: running
    /// handlers are stopped and their tasks left OPEN (resumed at the next start), <c>host.updateHost(0, false)</c>,
    /// logout.</summary>
    /// <exception cref="InvalidOperationException">The loop was run before.</exception>
    public async Task RunAsync(CancellationToken stopping)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("this KojiHostLoop has run already; make a new one to run again");
        }

        _stopping = stopping;

        if (!await LogInAsync(stopping).ConfigureAwait(false))
        {
            return; // stopped before the hub let us in
        }

        // The heartbeat and the cancellation watch outlive the poll: they keep going while the handlers stop.
        using var controlStop = new CancellationTokenSource();
        var heartbeat = HeartbeatLoopAsync(controlStop.Token);
        var watch = WatchLoopAsync(controlStop.Token);
        if (await ReconcileAsync(stopping).ConfigureAwait(false))
        {
            await AcceptTasksAsync(stopping).ConfigureAwait(false);
            await PollLoopAsync(stopping).ConfigureAwait(false);
        }

        await ShutDownAsync(controlStop, heartbeat, watch).ConfigureAwait(false);
    }

    private static void Validate(KojiHostLoopOptions options)
    {
        if (options.MaxTasks < 1)
        {
            throw new ArgumentException($"KojiHostLoopOptions.MaxTasks must be at least 1, not {options.MaxTasks}", nameof(options));
        }

        foreach (var (name, value) in new[]
                 {
                     ("PollInterval", options.PollInterval), ("HeartbeatInterval", options.HeartbeatInterval),
                     ("CancelCheckInterval", options.CancelCheckInterval), ("ErrorDelay", options.ErrorDelay),
                     ("MaxErrorDelay", options.MaxErrorDelay),
                 })
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentException($"KojiHostLoopOptions.{name} must be positive, not {value}", nameof(options));
            }
        }
    }

    /// <summary>Logs in (exclusive, forced per the options) and learns our host id and name; retried until it works
    /// or the loop stops (false).</summary>
    private async Task<bool> LogInAsync(CancellationToken stopping)
    {
        var sessionOptions = _options.Session with { Exclusive = true, ForceExclusive = _options.ForceExclusive };
        for (var failures = 0; ;)
        {
            KojiSession? session = null;
            try
            {
                session = await KojiSession.LoginAsync(_options.Hub, _options.Identity, sessionOptions, _logger, stopping).ConfigureAwait(false);
                _hostId = await session.GetHostIdAsync(stopping).ConfigureAwait(false);
                _hostName = await HostNameAsync(session, stopping).ConfigureAwait(false);
                _master = session;
                Succeeded(Activity.Login);
                lock (_sync)
                {
                    _loggedIn = true;
                    _knownHostId = _hostId;
                    PublishStatus();
                }

                Log.HostUp(_logger, _hub, _hostName, _hostId, string.Join(", ", Methods), _options.MaxTasks);
                return true;
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                if (session is not null)
                {
                    await session.DisposeAsync().ConfigureAwait(false);
                }

                if (!await PauseAfterFailureAsync(Activity.Login, e, ++failures, stopping).ConfigureAwait(false))
                {
                    return false;
                }
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                if (session is not null)
                {
                    await session.DisposeAsync().ConfigureAwait(false);
                }

                return false;
            }
        }
    }

    /// <summary>
    /// From now on the heartbeat says ready; one is sent at once rather than at the next beat, so that the hub's
    /// scheduler need not wait a HeartbeatInterval. (Until the reconciliation is done we are not ready: tasks the hub
    /// gave us then would sit ASSIGNED, and nothing new is assigned to a host while one does.)
    /// </summary>
    private async Task AcceptTasksAsync(CancellationToken stopping)
    {
        _accepting = true;
        try
        {
            var (load, ready, _) = Load();
            await ControlAsync((s, ct) => s.UpdateHostAsync(load, ready, Methods, _options.MaxTasks, ct), stopping).ConfigureAwait(false);
            HeartbeatSent();
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            Failed(Activity.Heartbeat, e, _options.HeartbeatInterval); // the heartbeat loop tries again
        }
        catch (Exception)
        {
            // stopping
        }
    }

    /// <summary>host.getHost's <c>name</c>, for messages such as the capacity refusal; the id when it is not there.</summary>
    private async Task<string> HostNameAsync(KojiSession session, CancellationToken cancellationToken)
    {
        object? reply;
        try
        {
            reply = await session.ReadAsync("host.getHost", cancellationToken).ConfigureAwait(false);
        }
        catch (Faults.KojiFaultException fault) when (!fault.IsTransient)
        {
            reply = null; // a hub without it: the name is only for messages
        }

        return reply is IReadOnlyDictionary<string, object?> host && host.TryGetValue("name", out var name) && name is string text
            ? text
            : $"host {_hostId}";
    }

    /// <summary>
    /// The stop: handlers were given the stop with their shutdown token; wait for them (their tasks stay OPEN, not
    /// freed, so the next start resumes them), then the last heartbeat says not ready, and we log out.
    /// </summary>
    private async Task ShutDownAsync(CancellationTokenSource controlStop, Task heartbeat, Task watch)
    {
        _shuttingDown = true;
        var runs = RunningSnapshot();
        Log.HostStopping(_logger, _hub, runs.Count);
        await Task.WhenAll(runs.Select(r => r.Completion)).ConfigureAwait(false);
        await controlStop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(heartbeat, watch).ConfigureAwait(false);

        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            try
            {
                await ControlAsync((s, ct) => s.UpdateHostAsync(0.0, false, cancellationToken: ct), timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Log.HostShutdownStepFailed(_logger, _hub, "host.updateHost(0.0, false)", e.Message);
            }
        }

        try
        {
            await CloseSessionsAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.HostShutdownStepFailed(_logger, _hub, "logout", e.Message);
        }

        lock (_sync)
        {
            _loggedIn = false;
            PublishStatus();
        }

        Log.HostStopped(_logger, _hub);
    }

    /// <summary>Pauses <paramref name="delay"/>; false when the loop stopped meanwhile.</summary>
    private async Task<bool> PauseAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The wait after the <paramref name="failures"/>-th failure in a row: ErrorDelay doubling up to MaxErrorDelay.</summary>
    private TimeSpan Backoff(int failures)
    {
        var delay = _options.ErrorDelay;
        for (var i = 1; i < failures && delay < _options.MaxErrorDelay; i++)
        {
            delay += delay;
        }

        return delay < _options.MaxErrorDelay ? delay : _options.MaxErrorDelay;
    }
}
