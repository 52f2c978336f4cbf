using KojiComposer.Contracts.Images;
using KojiComposer.Scheduler.Hosting;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Store;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Scheduler.Engine;

/// <summary>Why a running step was told to stop.</summary>
internal enum StopReason
{
    /// <summary>Not stopped (or stopped by the worker's own shutdown token).</summary>
    None,

    /// <summary>An operator canceled the compose.</summary>
    Canceled,

    /// <summary>The lease was lost: another worker may run the step now, so this one must write nothing more.</summary>
    LeaseLost,
}

/// <summary>
/// Keeps a claimed step's lease alive while it runs, writes the latest progress with each renewal, and signals
/// <see cref="Token"/> when the compose is canceled, the lease is lost, or the worker shuts down. The renewal is
/// independent of the step's own work, so a build that prints nothing for an hour still holds its lease.
/// </summary>
internal sealed class LeaseKeeper : IImageBuildReporter, IAsyncDisposable
{
    private readonly IComposeStore _store;
    private readonly StepRef _step;
    private readonly string _owner;
    private readonly EngineSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop;
    private readonly Lock _gate = new();
    private readonly bool _stopOnCancel;
    private readonly Task _loop;
    private ImageState? _phase;
    private ImageProgress? _progress;
    private bool _dirty;
    private int _reason;

    /// <param name="stopOnCancel">Stop the step when an operator cancels the compose. False for finalize: once it
    /// runs it decides import or refund itself, and an import already sent to Koji must not be cut off.</param>
    public LeaseKeeper(IComposeStore store, StepRef step, string owner, EngineSettings settings, TimeProvider time, ILogger logger, CancellationToken shutdown, bool stopOnCancel = true)
    {
        _stopOnCancel = stopOnCancel;
        _store = store;
        _step = step;
        _owner = owner;
        _settings = settings;
        _time = time;
        _logger = logger;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        _loop = RenewLoopAsync();
    }

    /// <summary>Signalled when the step must stop (see <see cref="Reason"/>), or on worker shutdown.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>Why <see cref="Token"/> was signalled; <see cref="StopReason.None"/> for a shutdown.</summary>
    public StopReason Reason => (StopReason)Volatile.Read(ref _reason);

    public void Report(ImageBuildPhase phase, ImageProgress? progress = null)
    {
        lock (_gate)
        {
            _phase = phase == ImageBuildPhase.Uploading ? ImageState.Uploading : ImageState.Building;
            _progress = progress ?? _progress;
            _dirty = true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task RenewLoopAsync()
    {
        var lastRenewed = _time.GetUtcNow();
        while (!_stop.IsCancellationRequested)
        {
            await Task.Delay(_settings.LeaseRenewInterval, _time, _stop.Token);
            ImageState? phase;
            ImageProgress? progress;
            lock (_gate)
            {
                phase = _dirty ? _phase : null;
                progress = _dirty ? _progress : null;
                _dirty = false;
            }

            try
            {
                var now = _time.GetUtcNow();
                var renewal = await _store.RenewAsync(_step, _owner, now, _settings.LeaseDuration, phase, progress, _stop.Token);
                lastRenewed = now;
                if (!renewal.Held)
                {
                    await StopAsync(StopReason.LeaseLost);
                }
                else if (renewal.CancelRequested && _stopOnCancel)
                {
                    await StopAsync(StopReason.Canceled);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A store hiccup must not kill a multi-hour build: keep trying until the lease may have run out,
                // then stop, because another worker may be allowed to take the step from then on.
                Log.LeaseRenewalFailed(_logger, _step.ToString(), e);
                if (_time.GetUtcNow() - lastRenewed >= _settings.LeaseDuration - _settings.LeaseRenewInterval)
                {
                    await StopAsync(StopReason.LeaseLost);
                }
            }
        }
    }

    private async Task StopAsync(StopReason reason)
    {
        Interlocked.CompareExchange(ref _reason, (int)reason, (int)StopReason.None);
        Log.StepStopping(_logger, _step.ToString(), reason.ToString());
        await _stop.CancelAsync();
    }
}
