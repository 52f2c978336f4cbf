using KojiComposer.Contracts.Images;

namespace KojiComposer.Builder.Osbuild;

/// <summary>Hands live progress on at most once per interval (the latest value; stale ones are dropped), and the
/// final value once at the end. A zero interval hands on every value.</summary>
internal sealed class ProgressThrottle : IDisposable
{
    private readonly IProgress<ImageProgress>? _target;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ITimer? _timer;
    private readonly Lock _lock = new();
    private ImageProgress? _latest;
    private ImageProgress? _reported;
    private long? _reportedAt;
    private bool _completed;

    public ProgressThrottle(IProgress<ImageProgress>? target, TimeSpan interval, TimeProvider time)
    {
        _target = target;
        _interval = interval;
        _time = time;
        // Flushes a value that arrived too soon after the previous report when no later record comes to do it.
        _timer = target is null || interval <= TimeSpan.Zero ? null : time.CreateTimer(_ => Flush(force: false), null, interval, interval);
    }

    /// <summary>The newest value offered.</summary>
    public ImageProgress? Latest
    {
        get
        {
            lock (_lock)
            {
                return _latest;
            }
        }
    }

    /// <summary>A new value: reported now if the interval has passed, else later.</summary>
    public void Offer(ImageProgress progress)
    {
        lock (_lock)
        {
            _latest = progress;
        }

        Flush(force: false);
    }

    /// <summary>The run ended: reports the latest value unless it was the last one reported; nothing after this.</summary>
    public void Complete()
    {
        _timer?.Dispose();
        Flush(force: true);
        lock (_lock)
        {
            _completed = true;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _timer?.Dispose();
        lock (_lock)
        {
            _completed = true;
        }
    }

    private void Flush(bool force)
    {
        lock (_lock)
        {
            if (_target is null || _completed || _latest is null || Equals(_latest, _reported))
            {
                return;
            }

            var now = _time.GetTimestamp();
            if (!force && _reportedAt is { } at && _time.GetElapsedTime(at, now) < _interval)
            {
                return;
            }

            _reported = _latest;
            _reportedAt = now;
            _target.Report(_latest);
        }
    }
}
