using System.Globalization;
using Hangfire.Dashboard.Pages;
using Hangfire.Storage.Monitoring;
using KojiComposer.Scheduler.Hosting;

namespace KojiComposer.Scheduler.Web.Dashboard;

/// <summary>
/// <c>/hangfire/builders</c>: every live builder server (a Hangfire server on a <c>build-&lt;arch&gt;</c> queue that
/// heart-beat in the last two minutes) with its arches, workers, the osbuild and manifest generator it advertised
/// at start-up, when it started and its last heartbeat, so "which osbuild made this image" and "why does aarch64
/// behave differently" have an answer without logging in to the builder.
/// </summary>
internal sealed class BuildersPage : ComposePageBase
{
    /// <summary>As BuilderHealth: Hangfire beats every 30 s, so two minutes of silence means gone.</summary>
    private static readonly TimeSpan Alive = TimeSpan.FromMinutes(2);

    public override void Execute()
    {
        Layout = new LayoutPage("Builders");
        WriteLiteral(Styles);
        WriteLiteral("<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Builders</h1>");
        var now = Now.UtcDateTime;
        var builders = Storage.GetMonitoringApi().Servers()
            .Where(s => s.Queues.Any(IsBuildQueue) && s.Heartbeat is { } beat && now - Utc(beat) < Alive)
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        if (builders.Count == 0)
        {
            WriteLiteral("<div class=\"alert alert-warning\" id=\"kc-no-builders\">No builder is running: images wait in <code>pending</code> until one serves their <code>build-&lt;arch&gt;</code> queue.</div></div></div>");
            return;
        }

        WriteLiteral("<table class=\"table table-condensed kc-table\" id=\"kc-builders\"><thead><tr><th>Server</th><th>Arches</th><th>Workers</th><th>osbuild</th><th>osbuild path</th><th>Manifest generator</th><th>Started</th><th>Last heartbeat</th></tr></thead><tbody>");
        using var connection = Storage.GetConnection();
        foreach (var server in builders)
        {
            Row(server, BuilderAdvertisementHash.Read(connection, server.Name));
        }

        WriteLiteral("</tbody></table></div></div>");
    }

    private void Row(ServerDto server, AdvertisedBuilder? advertised)
    {
        WriteLiteral("<tr class=\"kc-builder\"><td class=\"kc-builder-server\"><code>");
        Text(server.Name);
        WriteLiteral("</code></td><td class=\"kc-builder-arches\">");
        Text(string.Join(", ", server.Queues.Where(IsBuildQueue).Select(q => q["build-".Length..])));
        WriteLiteral("</td><td class=\"kc-builder-workers\">");
        Text(server.WorkersCount.ToString(CultureInfo.InvariantCulture));
        if (advertised is { Advertisement: var a })
        {
            WriteLiteral("</td><td class=\"kc-builder-osbuild\">");
            Text(a.OsbuildVersion);
            WriteLiteral("</td><td class=\"kc-builder-osbuild-path\"><code>");
            Text(a.OsbuildPath);
            WriteLiteral("</code></td><td class=\"kc-builder-generator\">");
            Text(a.GeneratorVersion is { } version ? $"{a.Generator} {version}" : a.Generator);
        }
        else
        {
            WriteLiteral("</td><td class=\"kc-builder-osbuild text-muted\" colspan=\"3\">not advertised (a builder older than this scheduler, or its advertisement was lost)");
        }

        WriteLiteral("</td><td class=\"kc-builder-started\">");
        Time(advertised?.StartedAt ?? new DateTimeOffset(Utc(server.StartedAt)));
        WriteLiteral("</td><td class=\"kc-builder-heartbeat\">");
        Time(server.Heartbeat is { } beat ? new DateTimeOffset(Utc(beat)) : null);
        WriteLiteral("</td></tr>");
    }

    private static bool IsBuildQueue(string queue) => queue.StartsWith("build-", StringComparison.Ordinal);

    private static DateTime Utc(DateTime time) => DateTime.SpecifyKind(time, DateTimeKind.Utc);
}
