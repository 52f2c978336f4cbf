using KojiComposer.HubBridge.Host;
using KojiComposer.Scheduler.Retry;
using KojiComposer.Scheduler.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Scheduler.Koji;

/// <summary>
/// Runs the builder-host loop (the hub-bridge role) for the life of the process, but only while this process holds
/// the store's instance lock for the host (koji-wire.md §9.2: force the exclusive session only when sure no other
/// instance runs). Holding it, the loop takes the exclusive session by force, which is what a restart after a crash
/// needs: the dead process's session keeps exclusivity until it is closed, and nothing else would close it.
/// Registered after the store migrator, so the first journal read finds the schema in place.
/// </summary>
internal sealed class KojiIntakeService(KojiHostLoop loop, KojiHostLoopOptions options, IComposeStore store, ILogger<KojiIntakeService> logger, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan LockRetry = TimeSpan.FromSeconds(15);

    /// <summary>The lock's name: one builder host (principal) on one hub.</summary>
    internal static string LockName(KojiHostLoopOptions options) => $"hub-bridge {options.Hub.Url.AbsoluteUri} {options.Identity}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var name = LockName(options);
        IAsyncDisposable? instance = null;
        string? reported = null;
        while (instance is null)
        {
            try
            {
                instance = await store.TryLockInstanceAsync(name, stoppingToken);
                if (instance is null && reported != "held")
                {
                    reported = "held";
                    Log.HostInstanceLockHeld(logger, options.Identity.ToString());
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested && StepRetryPolicy.IsTransient(e))
            {
                if (reported != e.Message)
                {
                    reported = e.Message;
                    Log.HostInstanceLockFailed(logger, e.Message);
                }
            }

            if (instance is null)
            {
                try
                {
                    await Task.Delay(LockRetry, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        await using (instance)
        {
            await loop.RunAsync(stoppingToken);
        }
    }
}
