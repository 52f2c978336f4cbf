namespace KojiComposer.HubBridge.Host;

/// <summary>What the loop shows (<see cref="Status"/>) and how it reports a failed round: once per distinct error.</summary>
public sealed partial class KojiHostLoop
{
    private readonly Lock _sync = new();
    private readonly Dictionary<long, RunningTask> _running = [];
    private readonly HashSet<long> _ranBefore = [];
    private readonly HashSet<long> _taking = [];
    private readonly Dictionary<long, (int Count, DateTimeOffset NotBefore)> _adoptions = [];
    private readonly Dictionary<string, (string Message, DateTimeOffset At)> _errors = new(StringComparer.Ordinal);
    private KojiHostStatus _status = new(false, null, null, [], null);
    private bool _loggedIn;
    private long? _knownHostId;
    private DateTimeOffset? _lastHeartbeat;

    /// <summary>What the loop is doing now.</summary>
    public KojiHostStatus Status => Volatile.Read(ref _status);

    /// <summary>The loop's activities, as errors name them.</summary>
    private static class Activity
    {
        public const string Login = "login";
        public const string Heartbeat = "heartbeat (host.updateHost)";
        public const string Poll = "poll (host.getTasks)";
        public const string Watch = "cancellation check (host.getHostTasks)";
        public const string Reconcile = "start-up reconciliation";
        public const string Journal = "task journal";
        public const string Report = "task outcome";
    }

    /// <summary>Call with <see cref="_sync"/> held.</summary>
    private void PublishStatus()
    {
        var latest = _errors.OrderByDescending(e => e.Value.At).Select(e => $"{e.Key}: {e.Value.Message}").FirstOrDefault();
        Volatile.Write(ref _status, new KojiHostStatus(_loggedIn, _knownHostId, _lastHeartbeat, [.. _running.Keys.Order()], latest));
    }

    /// <summary>Records a failed round of <paramref name="activity"/>; logs it when its text differs from the last one
    /// (unless the caller logs it its own way).</summary>
    private void Failed(string activity, Exception error, TimeSpan nextTry, bool log = true)
    {
        var message = error.Message;
        lock (_sync)
        {
            log &= !_errors.TryGetValue(activity, out var previous) || !string.Equals(previous.Message, message, StringComparison.Ordinal);
            _errors[activity] = (message, _time.GetUtcNow());
            PublishStatus();
        }

        if (log)
        {
            Log.HostLoopFailed(_logger, _hub, activity, (long)nextTry.TotalMilliseconds, message);
        }
    }

    /// <summary>A clean round of <paramref name="activity"/>: its error, if any, is cleared.</summary>
    private void Succeeded(string activity)
    {
        bool recovered;
        lock (_sync)
        {
            recovered = _errors.Remove(activity);
            if (recovered)
            {
                PublishStatus();
            }
        }

        if (recovered)
        {
            Log.HostLoopRecovered(_logger, _hub, activity);
        }
    }

    /// <summary><see cref="Failed"/>, then the backoff pause; false when the loop stopped meanwhile.</summary>
    private Task<bool> PauseAfterFailureAsync(string activity, Exception error, int failures, CancellationToken cancellationToken)
    {
        var delay = Backoff(failures);
        Failed(activity, error, delay);
        return PauseAsync(delay, cancellationToken);
    }

    private void HeartbeatSent()
    {
        lock (_sync)
        {
            _lastHeartbeat = _time.GetUtcNow();
            PublishStatus();
        }
    }

    private List<RunningTask> RunningSnapshot()
    {
        lock (_sync)
        {
            return [.. _running.Values];
        }
    }

    /// <summary>Claims a task that is neither running nor being taken or adopted (false otherwise), so that the poll
    /// and the watch never both start it; <see cref="Unclaim"/> once it runs or was given up.</summary>
    private bool TryClaim(long taskId)
    {
        lock (_sync)
        {
            return !_running.ContainsKey(taskId) && _taking.Add(taskId);
        }
    }

    private void Unclaim(long taskId)
    {
        lock (_sync)
        {
            _taking.Remove(taskId);
        }
    }

    private bool IsRunning(long taskId)
    {
        lock (_sync)
        {
            return _running.ContainsKey(taskId);
        }
    }

    /// <summary>task_load (weights of the running tasks that are not waiting for subtasks), ready (reconciled, not
    /// stopping, below MaxTasks) and how many run.</summary>
    private (double Load, bool Ready, int Count) Load()
    {
        lock (_sync)
        {
            var load = _running.Values.Where(r => !r.Waiting && !r.StoppedBeforeStart).Sum(r => r.Handler.Weight);
            return (Math.Round(load, 6), _accepting && !_shuttingDown && _running.Count < _options.MaxTasks, _running.Count);
        }
    }
}
