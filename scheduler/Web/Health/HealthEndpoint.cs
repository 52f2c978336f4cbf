using System.Text.Json.Nodes;
using KojiComposer.Scheduler.Store;
using KojiComposer.Scheduler.Web.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Scheduler.Web.Health;

/// <summary>
/// <c>GET /health</c>: <c>{"status": "ok"|"degraded"|"failing", "checks": {"store": {...}, "hub": {...},
/// "builders": {...}}}</c>, 503 when failing. The store check reads the counts; the others come from the registered
/// <see cref="IHealthContributor"/>s (<c>"unchecked"</c> while none is registered for a name).
/// </summary>
internal static class HealthEndpoint
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(10);
    private static readonly string[] KnownChecks = ["store", "hub", "builders"];

    public static async Task<IResult> CheckAsync(HttpContext http, IComposeStore store, IEnumerable<IHealthContributor> contributors, ILogger<HealthCheckResult> logger)
    {
        var results = new Dictionary<string, HealthCheckResult>(StringComparer.Ordinal)
        {
            ["store"] = await RunAsync(ct => StoreCheckAsync(store, ct), http.RequestAborted).ConfigureAwait(false),
        };
        foreach (var group in contributors.GroupBy(c => c.Check, StringComparer.Ordinal))
        {
            var groupResults = new List<HealthCheckResult>();
            foreach (var contributor in group)
            {
                groupResults.Add(await RunAsync(contributor.CheckAsync, http.RequestAborted).ConfigureAwait(false));
            }

            var worst = groupResults.Max(r => r.Status);
            results[group.Key] = new HealthCheckResult(worst, string.Join("; ", groupResults.Where(r => r.Details is not null).Select(r => r.Details)));
        }

        var checks = new JsonObject();
        foreach (var name in KnownChecks.Concat(results.Keys.Except(KnownChecks).Order(StringComparer.Ordinal)))
        {
            if (!results.TryGetValue(name, out var result))
            {
                checks[name] = new JsonObject { ["status"] = "unchecked", ["details"] = "no check registered" };
                continue;
            }

            if (result.Status != HealthStatus.Ok)
            {
                WebLog.HealthCheckNotOk(logger, name, Wire(result.Status), result.Details ?? "");
            }

            checks[name] = new JsonObject { ["status"] = Wire(result.Status), ["details"] = string.IsNullOrEmpty(result.Details) ? null : result.Details };
        }

        var overall = results.Values.Max(r => r.Status);
        return new JsonNodeResult(
            new JsonObject { ["status"] = Wire(overall), ["checks"] = checks },
            overall == HealthStatus.Failing ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }

    private static async Task<HealthCheckResult> StoreCheckAsync(IComposeStore store, CancellationToken cancellationToken)
    {
        var counts = await store.CountAsync(cancellationToken).ConfigureAwait(false);
        return new HealthCheckResult(HealthStatus.Ok, $"{counts.Composes.Values.Sum()} composes");
    }

    private static async Task<HealthCheckResult> RunAsync(Func<CancellationToken, Task<HealthCheckResult>> check, CancellationToken requestAborted)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        timeout.CancelAfter(CheckTimeout);
        try
        {
            return await check(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !requestAborted.IsCancellationRequested)
        {
            return new HealthCheckResult(HealthStatus.Failing, $"no answer within {CheckTimeout.TotalSeconds:0} s");
        }
        catch (Exception ex) when (!requestAborted.IsCancellationRequested)
        {
            // The exception's type and message only: connection strings and secrets never reach these texts in our
            // stores, but a stack trace is not for a health page.
            return new HealthCheckResult(HealthStatus.Failing, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private static string Wire(HealthStatus status) => status.ToString().ToLowerInvariant();
}
