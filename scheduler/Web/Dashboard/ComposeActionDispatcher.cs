using Hangfire.Dashboard;
using KojiComposer.Scheduler.Engine;
using KojiComposer.Scheduler.Store;
using KojiComposer.Scheduler.Web.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Scheduler.Web.Dashboard;

/// <summary>
/// The detail page's Cancel and Retry failed buttons: a form POST (Hangfire's middleware has checked its
/// antiforgery token before we run), operators only, then back to the detail page with what happened.
/// </summary>
internal sealed class ComposeActionDispatcher : IDashboardDispatcher
{
    public async Task Dispatch(DashboardContext context)
    {
        var http = context.GetHttpContext();
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        var identity = WebIdentity.Of(http);
        if (identity is not { IsOperator: true })
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await http.Response.WriteAsync("403 Forbidden: this action needs the operator role\n", http.RequestAborted).ConfigureAwait(false);
            return;
        }

        var id = Guid.Parse(context.UriMatch.Groups["id"].Value);
        var operations = http.RequestServices.GetRequiredService<IComposeOperations>();
        var logger = http.RequestServices.GetRequiredService<ILogger<ComposeActionDispatcher>>();
        string message;
        if (string.Equals(context.UriMatch.Groups["action"].Value, "cancel", StringComparison.Ordinal))
        {
            var outcome = await operations.CancelAsync(id, http.RequestAborted).ConfigureAwait(false);
            WebLog.ComposeCancelRequested(logger, id, identity.Name, outcome.ToString());
            message = outcome switch
            {
                CancelOutcome.Requested => "cancel-requested",
                CancelOutcome.AlreadyFinal => "already-final",
                _ => "not-found",
            };
        }
        else
        {
            var result = await operations.RetryFailedAsync(id, http.RequestAborted).ConfigureAwait(false);
            WebLog.ComposeRetryRequested(logger, id, identity.Name, result.Outcome.ToString(), result.ImagesReset);
            message = result.Outcome switch
            {
                RetryOutcome.Restarted => "retry-started",
                RetryOutcome.NotRetryable => "not-retryable",
                RetryOutcome.KojiTask => "koji-task",
                _ => "not-found",
            };
        }

        http.Response.StatusCode = StatusCodes.Status303SeeOther;
        http.Response.Headers.Location = new UrlHelper(context).To(ComposeDashboard.DetailPath(id)) + "?done=" + message;
    }
}
