using KojiComposer.Scheduler.Store;
using Microsoft.Extensions.Hosting;

namespace KojiComposer.Scheduler.Hosting;

/// <summary>Brings the compose store's schema up to date before anything else starts.</summary>
internal sealed class StoreMigrator(IComposeStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
