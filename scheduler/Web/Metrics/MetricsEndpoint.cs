using KojiComposer.Scheduler.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Scheduler.Web.Metrics;

/// <summary><c>GET /metrics</c>: refreshes the gauges from the store, then writes Prometheus' text format. A store
/// that cannot be read leaves the last values (and logs); the counters are still served.</summary>
internal static class MetricsEndpoint
{
    public static async Task WriteAsync(HttpContext http, ComposeMetrics metrics, IComposeStore store, ILogger<ComposeMetrics> logger)
    {
        try
        {
            metrics.Update(await store.CountAsync(http.RequestAborted).ConfigureAwait(false));
        }
        catch (Exception ex) when (!http.RequestAborted.IsCancellationRequested)
        {
            WebLog.MetricsCountFailed(logger, ex);
        }

        http.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await metrics.Registry.CollectAndExportAsTextAsync(http.Response.Body, http.RequestAborted).ConfigureAwait(false);
    }
}
