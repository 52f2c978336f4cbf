using System.Globalization;
using System.Text.Json.Nodes;
using KojiComposer.Scheduler.Engine;
using KojiComposer.Scheduler.Store;
using KojiComposer.Scheduler.Web.Access;
using KojiComposer.Scheduler.Web.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Scheduler.Web.Api;

/// <summary>
/// The compose API under composer's base path <c>/api/image-builder-composer/v2/</c> (composer-api.md §2): what
/// the stock koji-osbuild plugin calls, in composer's shapes, plus our extensions (list filters, cancel,
/// retry-failed). Errors use composer's Error shape and ids (<see cref="ComposerErrors"/>).
/// </summary>
public static class ComposeWebEndpoints
{
    /// <summary>Maps the API. Needs <see cref="IComposeStore"/>, <see cref="IComposeOperations"/> and the services
    /// of <see cref="WebHosting.AddComposeWeb"/>.</summary>
    public static IEndpointRouteBuilder MapComposeApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup(ComposerErrors.BasePath);
        api.AddEndpointFilter(CatchUnexpectedAsync);
        api.MapPost("/compose", SubmitAsync);
        api.MapGet("/composes/", ListAsync);
        api.MapGet("/composes/{id}", StatusAsync);
        api.MapGet("/composes/{id}/logs", LogsAsync);
        api.MapGet("/composes/{id}/manifests", ManifestsAsync);
        api.MapPost("/composes/{id}/cancel", CancelAsync);
        api.MapPost("/composes/{id}/retry-failed", RetryFailedAsync);
        api.MapGet("/openapi", OpenApiDocument.Result);
        api.MapGet("/errors", ErrorList);
        api.MapGet("/errors/{id}", ErrorById);
        return endpoints;
    }

    private static async ValueTask<object?> CatchUnexpectedAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && http.RequestAborted.IsCancellationRequested))
        {
            WebLog.ApiRequestFailed(Logger(http), ex, http.Request.Method, http.Request.Path);
            return ComposerErrors.Result(ComposerErrors.Unspecified);
        }
    }

    private static async Task<IResult> SubmitAsync(HttpContext http, IComposeOperations operations, ComposeMetrics metrics)
    {
        metrics.ComposeRequested();
        if (RequireOperator(http) is { } refused)
        {
            return refused;
        }

        if (!http.Request.HasJsonContentType())
        {
            return ComposerErrors.Result(ComposerErrors.UnsupportedMediaType);
        }

        using var reader = new StreamReader(http.Request.Body);
        var text = await reader.ReadToEndAsync(http.RequestAborted).ConfigureAwait(false);
        var body = ComposeRequestParser.ParseBody(text);
        if (body is null)
        {
            return ComposerErrors.Result(ComposerErrors.BodyDecodingError);
        }

        var user = WebIdentity.Of(http)?.Name;
        if (!ComposeRequestParser.TryParse(body, user, out var request, out var error))
        {
            return ComposerErrors.Result(error.Id, error.Details);
        }

        var (compose, created) = await operations.SubmitAsync(request!, http.RequestAborted).ConfigureAwait(false);
        WebLog.ComposeSubmitted(Logger(http), compose.Id, compose.Nvr, compose.KojiTaskId, user ?? "-", compose.Images.Count, created);
        return new JsonNodeResult(
            new JsonObject { ["href"] = $"{ComposerErrors.BasePath}/compose", ["id"] = compose.Id.ToString(), ["kind"] = "ComposeId" },
            StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync(HttpContext http, IComposeStore store, TimeProvider time)
    {
        if (!ComposeListQuery.TryParse(http.Request.Query, time.GetUtcNow(), out var query, out var problem))
        {
            return ComposerErrors.Result(ComposerErrors.ValidationError, problem!);
        }

        var page = await store.ListAsync(query, http.RequestAborted).ConfigureAwait(false);
        return new JsonNodeResult(new JsonObject
        {
            ["href"] = $"{ComposerErrors.BasePath}/composes/",
            ["kind"] = "ComposeList",
            ["total"] = page.Total,
            ["offset"] = query.Offset,
            ["limit"] = query.Limit,
            ["items"] = new JsonArray(page.Items.Select(c => (JsonNode)ComposeStatusJson.Build(c)).ToArray()),
        });
    }

    private static Task<IResult> StatusAsync(string id, HttpContext http, IComposeStore store) =>
        WithComposeAsync(id, http, store, c => ComposeStatusJson.Build(c));

    private static Task<IResult> LogsAsync(string id, HttpContext http, IComposeStore store) =>
        WithComposeAsync(id, http, store, ComposeLogsJson.Logs);

    private static Task<IResult> ManifestsAsync(string id, HttpContext http, IComposeStore store) =>
        WithComposeAsync(id, http, store, ComposeLogsJson.Manifests);

    private static async Task<IResult> CancelAsync(string id, HttpContext http, IComposeOperations operations)
    {
        if (RequireOperator(http) is { } refused)
        {
            return refused;
        }

        if (!TryParseId(id, out var composeId))
        {
            return ComposerErrors.Result(ComposerErrors.InvalidComposeId);
        }

        var outcome = await operations.CancelAsync(composeId, http.RequestAborted).ConfigureAwait(false);
        WebLog.ComposeCancelRequested(Logger(http), composeId, WebIdentity.Of(http)?.Name ?? "-", outcome.ToString());
        return outcome switch
        {
            CancelOutcome.NotFound => ComposerErrors.Result(ComposerErrors.ComposeNotFound),
            CancelOutcome.AlreadyFinal => ComposerErrors.Result(ComposerErrors.ComposeAlreadyFinished),
            _ => new JsonNodeResult(new JsonObject
            {
                ["href"] = $"{ComposerErrors.BasePath}/composes/{composeId}/cancel",
                ["id"] = composeId.ToString(),
                ["kind"] = "ComposeCancel",
                ["outcome"] = "requested",
            }, StatusCodes.Status202Accepted),
        };
    }

    private static async Task<IResult> RetryFailedAsync(string id, HttpContext http, IComposeOperations operations)
    {
        if (RequireOperator(http) is { } refused)
        {
            return refused;
        }

        if (!TryParseId(id, out var composeId))
        {
            return ComposerErrors.Result(ComposerErrors.InvalidComposeId);
        }

        var result = await operations.RetryFailedAsync(composeId, http.RequestAborted).ConfigureAwait(false);
        WebLog.ComposeRetryRequested(Logger(http), composeId, WebIdentity.Of(http)?.Name ?? "-", result.Outcome.ToString(), result.ImagesReset);
        return result.Outcome switch
        {
            RetryOutcome.NotFound => ComposerErrors.Result(ComposerErrors.ComposeNotFound),
            RetryOutcome.NotRetryable => ComposerErrors.Result(ComposerErrors.NothingToRetry),
            RetryOutcome.KojiTask => ComposerErrors.Result(ComposerErrors.NothingToRetry, "this compose serves a Koji task, which ended with it: resubmit the task in Koji (koji osbuild-image, or Pungi) to build again"),
            _ => new JsonNodeResult(new JsonObject
            {
                ["href"] = $"{ComposerErrors.BasePath}/composes/{composeId}/retry-failed",
                ["id"] = composeId.ToString(),
                ["kind"] = "ComposeRetry",
                ["images_reset"] = result.ImagesReset,
            }, StatusCodes.Status202Accepted),
        };
    }

    private static IResult ErrorList() => new JsonNodeResult(new JsonObject
    {
        ["href"] = $"{ComposerErrors.BasePath}/errors",
        ["kind"] = "ErrorList",
        ["items"] = new JsonArray(ComposerErrors.All.Select(e => (JsonNode)ComposerErrors.Describe(e)).ToArray()),
    });

    private static IResult ErrorById(string id) =>
        int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && ComposerErrors.Find(number) is { } error
            ? new JsonNodeResult(ComposerErrors.Describe(error))
            : ComposerErrors.Result(ComposerErrors.ErrorNotFound);

    private static async Task<IResult> WithComposeAsync(string id, HttpContext http, IComposeStore store, Func<Model.Compose, JsonObject> render)
    {
        if (!TryParseId(id, out var composeId))
        {
            return ComposerErrors.Result(ComposerErrors.InvalidComposeId);
        }

        var compose = await store.GetAsync(composeId, http.RequestAborted).ConfigureAwait(false);
        return compose is null ? ComposerErrors.Result(ComposerErrors.ComposeNotFound) : new JsonNodeResult(render(compose));
    }

    /// <summary>Composer's compose ids are UUIDs in their usual 8-4-4-4-12 form.</summary>
    internal static bool TryParseId(string id, out Guid composeId) => Guid.TryParseExact(id, "D", out composeId);

    private static IResult? RequireOperator(HttpContext http) =>
        WebIdentity.Of(http) is { IsOperator: true } ? null : ComposerErrors.Result(ComposerErrors.Unauthorized, "this action needs the operator role");

    private static ILogger Logger(HttpContext http) =>
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ComposeWebEndpoints).FullName!);
}
