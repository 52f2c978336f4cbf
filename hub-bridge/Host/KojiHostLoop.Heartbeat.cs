namespace KojiComposer.HubBridge.Host;

/// <summary>
/// The heartbeat (koji-wire.md §9.3 step 2): <c>host.updateHost(task_load, ready, {methods, maxjobs})</c> every
/// HeartbeatInterval on the control subsession, in a loop of its own. The hub marks a host silent for ReadyTimeout
/// (180 s) not ready and frees the OPEN tasks of one silent for HostTimeout (15 min), so nothing else the host does
/// (a handler blocked for an hour on the master, a slow poll) may hold it up.
/// </summary>
public sealed partial class KojiHostLoop
{
    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        await Task.Yield(); // off the caller: RunAsync goes on with the reconciliation
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var (load, ready, _) = Load();
                await ControlAsync(
                    (s, ct) => s.UpdateHostAsync(load, ready, Methods, _options.MaxTasks, ct),
                    cancellationToken).ConfigureAwait(false);
                HeartbeatSent();
                Succeeded(Activity.Heartbeat);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // No backoff: a failed heartbeat is tried again at the usual pace, the hub's timers keep running.
                Failed(Activity.Heartbeat, e, _options.HeartbeatInterval);
            }

            if (!await PauseAsync(_options.HeartbeatInterval, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }
}
