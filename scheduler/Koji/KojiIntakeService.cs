using KojiComposer.HubBridge.Host;
using Microsoft.Extensions.Hosting;

namespace KojiComposer.Scheduler.Koji;

/// <summary>Runs the builder-host loop (the hub-bridge role) for the life of the process. Registered after the
/// store migrator, so the loop's first journal read finds the schema in place.</summary>
internal sealed class KojiIntakeService(KojiHostLoop loop) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => loop.RunAsync(stoppingToken);
}
