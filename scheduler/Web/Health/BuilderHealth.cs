using Hangfire;
using KojiComposer.Contracts.Queues;
using KojiComposer.Scheduler.Hosting;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Store;

namespace KojiComposer.Scheduler.Web.Health;

/// <summary>
/// The <c>builders</c> check of <c>/health</c>: which architectures have a live builder (a Hangfire server on
/// <c>build-&lt;arch&gt;</c> that heart-beat recently), and whether images wait for an architecture nobody builds —
/// the "why is my compose stuck in pending" question at 3 a.m. Degraded, not failing: the service itself works.
/// Each builder is shown with the osbuild and manifest generator it advertised at start-up
/// (<c>builder1:builder (pid 4242, 1 workers; osbuild 191, image-builder 45)</c>).
/// </summary>
internal sealed class BuilderHealth(JobStorage storage, IComposeStore store, TimeProvider time) : IHealthContributor
{
    /// <summary>A server whose last heartbeat is older than this counts as gone (Hangfire beats every 30 s).</summary>
    private static readonly TimeSpan Alive = TimeSpan.FromMinutes(2);

    public string Check => "builders";

    public async Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var servers = storage.GetMonitoringApi().Servers()
            .Where(s => s.Heartbeat is { } beat && now - DateTime.SpecifyKind(beat, DateTimeKind.Utc) < Alive)
            .ToList();
        var byArch = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        using var connection = storage.GetConnection();
        foreach (var server in servers)
        {
            var advertised = server.Queues.Any(q => q.StartsWith("build-", StringComparison.Ordinal))
                ? BuilderAdvertisementHash.Read(connection, server.Name)
                : null;
            foreach (var queue in server.Queues.Where(q => q.StartsWith("build-", StringComparison.Ordinal)))
            {
                var arch = queue["build-".Length..];
                if (!byArch.TryGetValue(arch, out var names))
                {
                    byArch[arch] = names = [];
                }

                names.Add(Describe(server.Name, server.WorkersCount, advertised));
            }
        }

        var counts = await store.CountAsync(cancellationToken).ConfigureAwait(false);
        var waiting = counts.Images
            .Where(c => c.Key.State == ImageState.Pending && c.Value > 0 && !byArch.ContainsKey(QueueNames.Build(c.Key.Arch)["build-".Length..]))
            .Select(c => $"{c.Value} {c.Key.Arch} image{(c.Value == 1 ? "" : "s")} wait but no builder serves {QueueNames.Build(c.Key.Arch)}")
            .ToList();
        var serving = byArch.Count == 0
            ? "no builder is running"
            : string.Join("; ", byArch.Select(a => $"{a.Key}: {string.Join(", ", a.Value)}"));
        return waiting.Count > 0
            ? new HealthCheckResult(HealthStatus.Degraded, $"{string.Join("; ", waiting)}; {serving}")
            : new HealthCheckResult(HealthStatus.Ok, serving);
    }

    // Hangfire names a server "<ServerName>:<pid>:<guid>"; people want the first part and the process.
    private static string Describe(string id, int workers, AdvertisedBuilder? advertised)
    {
        var versions = advertised is { Advertisement: var a }
            ? $"osbuild {a.OsbuildVersion}, {a.Generator}{(a.GeneratorVersion is { } v ? " " + v : "")}"
            : "no osbuild version advertised";
        var parts = id.Split(':');
        return parts.Length >= 3 && Guid.TryParse(parts[^1], out _)
            ? $"{string.Join(':', parts[..^2])} (pid {parts[^2]}, {workers} workers; {versions})"
            : $"{id} ({workers} workers; {versions})";
    }
}
