using KojiComposer.Builder.Worker;
using KojiComposer.Config;
using KojiComposer.Service.Hosting;

namespace KojiComposer.Service.Commands;

/// <summary><c>kojicomposerd check-config</c>: validates the configuration as <c>serve</c> would and prints what
/// this process would run (roles, store, listen addresses); with the builder role also the osbuild and manifest
/// generator it found. Exit 0 when valid, 3 when not, 7 when the builder's prerequisites fail. Secrets are never
/// printed: of a connection string only the host and database, of <c>[builder.environment]</c> only the names.</summary>
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
        string? problem = null;
        if (options.Service.Runs(ServiceRole.Builder))
        {
            lines.Add($"  builds:  {string.Join(", ", options.Builder.Arches)} ({Workers(options.Builder.Workers)})");
            try
            {
                lines.Add($"  builder: {BuilderStartup.Describe(await BuilderStartup.CheckAsync(options, cancellationToken).ConfigureAwait(false))}");
            }
            catch (BuilderPrerequisiteException e)
            {
                problem = e.Message.ReplaceLineEndings(" ");
                lines.Add("  builder: cannot build here (see the error below)");
            }

            if (options.Builder.Environment.Count > 0)
            {
                lines.Add($"  osbuild environment: {string.Join(", ", options.Builder.Environment.Keys.Order(StringComparer.Ordinal))} (values not shown)");
            }
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

        if (problem is not null)
        {
            await Console.Error.WriteLineAsync($"kojicomposerd {Name}: error: this machine cannot build: {problem}").ConfigureAwait(false);
            return ExitCodes.BuilderPrerequisites;
        }

        return ExitCodes.Success;
    }

    private static string Workers(int count) => count == 1 ? "1 worker" : $"{count} workers";
}
