using KojiComposer.Config;
using KojiComposer.Service.Hosting;

namespace KojiComposer.Service.Commands;

/// <summary><c>kojicomposerd check-config</c>: validates the configuration as <c>serve</c> would and prints what
/// this process would run (roles, store, listen addresses); exit 0 when valid, 3 when not. Secrets are never
/// printed: of a connection string only the host and database.</summary>
public sealed class CheckConfigCommand(ServiceConsole console)
    : ServiceCommand(console, "check-config", "Validate the configuration and show the roles, store and listen addresses it gives")
{
    protected override async Task<int> ExecuteAsync(KojiComposerOptions options, CancellationToken cancellationToken)
    {
        var lines = new List<string>
        {
            $"{options.Source}: OK",
            $"  roles:   {string.Join(", ", options.Service.Roles.Select(ServiceOptions.NameOf))}",
            $"  server:  {options.Service.ServerName}",
            $"  store:   {ServiceHost.DescribeStore(options.Store)}",
        };
        if (options.Service.Runs(ServiceRole.Builder))
        {
            lines.Add($"  builds:  {string.Join(", ", options.Builder.Arches)} ({Workers(options.Builder.Workers)})");
        }

        lines.Add(options.Service.Runs(ServiceRole.Scheduler)
            ? $"  listen:  {string.Join(", ", options.Web.Listen)}"
            : "  listen:  none (the scheduler role does not run here)");
        if (options.Hub is { } hub)
        {
            lines.Add($"  hub:     {hub.Url}");
        }

        foreach (var line in lines)
        {
            await Console.Out.WriteLineAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    private static string Workers(int count) => count == 1 ? "1 worker" : $"{count} workers";
}
