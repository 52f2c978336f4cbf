using KojiComposer.Scheduler.Web.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Scheduler.Web.Access;

/// <summary>
/// Runs <see cref="AccessPolicy"/> before every path of the web front (API, pages, Hangfire dashboard, health,
/// metrics) and attaches the <see cref="WebIdentity"/>. Also refuses cross-site browser requests that change
/// something (any non-GET API call): a page elsewhere must not make a logged-in browser cancel composes.
/// </summary>
internal sealed class AccessMiddleware(RequestDelegate next, AccessPolicy policy, ILogger<AccessMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var decision = policy.Decide(http);
        var isApi = http.Request.Path.StartsWithSegments(ComposerErrors.BasePath, StringComparison.Ordinal);
        switch (decision.Verdict)
        {
            case AccessVerdict.Granted:
                break;
            case AccessVerdict.Challenge:
                WebLog.AccessChallenged(logger, http.Connection.RemoteIpAddress?.ToString() ?? "-", http.Request.Path, decision.Reason ?? "");
                if (policy.OffersBasic)
                {
                    http.Response.Headers.Append("WWW-Authenticate", $"Basic realm=\"{policy.BasicRealm}\", charset=\"UTF-8\"");
                }

                if (policy.OffersNegotiate)
                {
                    http.Response.Headers.Append("WWW-Authenticate", "Negotiate");
                }

                await RespondAsync(http, isApi, StatusCodes.Status401Unauthorized, ComposerErrors.Unauthenticated, decision.Reason).ConfigureAwait(false);
                return;
            default:
                WebLog.AccessRefused(logger, http.Connection.RemoteIpAddress?.ToString() ?? "-", http.Request.Path, decision.Reason ?? "");
                await RespondAsync(http, isApi, StatusCodes.Status403Forbidden, ComposerErrors.Unauthorized, decision.Reason).ConfigureAwait(false);
                return;
        }

        if (isApi && !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && IsCrossSite(http.Request))
        {
            await RespondAsync(http, true, StatusCodes.Status403Forbidden, ComposerErrors.Unauthorized, "cross-site request refused").ConfigureAwait(false);
            return;
        }

        http.Features.Set(decision.Identity);
        if (decision.NegotiateReply is { Length: > 0 } reply)
        {
            http.Response.Headers.Append("WWW-Authenticate", "Negotiate " + Convert.ToBase64String(reply));
        }

        await next(http).ConfigureAwait(false);
    }

    /// <summary>True when a browser says the request comes from another site (Fetch Metadata), or its
    /// <c>Origin</c> names another host than the one addressed. Non-browser clients send neither.</summary>
    internal static bool IsCrossSite(HttpRequest request)
    {
        var fetchSite = request.Headers["Sec-Fetch-Site"].FirstOrDefault();
        if (fetchSite is not null)
        {
            return !string.Equals(fetchSite, "same-origin", StringComparison.OrdinalIgnoreCase) && !string.Equals(fetchSite, "none", StringComparison.OrdinalIgnoreCase);
        }

        var origin = request.Headers.Origin.FirstOrDefault();
        if (string.IsNullOrEmpty(origin))
        {
            return false;
        }

        return !Uri.TryCreate(origin, UriKind.Absolute, out var originUri)
            || !string.Equals(originUri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    private static Task RespondAsync(HttpContext http, bool isApi, int status, int errorId, string? reason)
    {
        if (isApi)
        {
            return ComposerErrors.WriteAsync(http, errorId, reason);
        }

        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain; charset=utf-8";
        return http.Response.WriteAsync($"{status} {(status == 401 ? "Unauthorized" : "Forbidden")}: {reason}\n");
    }
}
