using System.Globalization;
using KojiComposer.HubBridge.Host;
using KojiComposer.Scheduler.Web.Health;

namespace KojiComposer.Scheduler.Koji;

/// <summary><c>/health</c>'s <c>koji-host</c> entry: is the builder host logged in and heart-beating.</summary>
internal sealed class KojiHostHealth(KojiHostLoop loop, KojiHostLoopOptions options, TimeProvider time) : IHealthContributor
{
    public string Check => "koji-host";

    public Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        var status = loop.Status;
        var tasks = status.RunningTasks.Count == 0 ? "no tasks" : $"tasks {string.Join(", ", status.RunningTasks.Select(t => t.ToString(CultureInfo.InvariantCulture)))}";
        if (!status.LoggedIn)
        {
            return Task.FromResult(new HealthCheckResult(HealthStatus.Failing, $"not logged in to the hub as the builder host{(status.LastError is { } e ? ": " + e : "")}"));
        }

        // Three missed heartbeats: the hub stops assigning after 3 minutes of silence and frees our tasks after 15.
        if (status.LastHeartbeat is not { } beat || time.GetUtcNow() - beat > 3 * options.HeartbeatInterval)
        {
            return Task.FromResult(new HealthCheckResult(HealthStatus.Degraded, $"host {status.HostId}: no heartbeat since {status.LastHeartbeat?.ToString("u", CultureInfo.InvariantCulture) ?? "start"}{(status.LastError is { } e ? ": " + e : "")}; {tasks}"));
        }

        return Task.FromResult(new HealthCheckResult(HealthStatus.Ok, $"host {status.HostId}, {tasks}"));
    }
}
