using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace KojiComposer.Scheduler.Web.Api;

/// <summary>Writes a <see cref="JsonNode"/> as <c>application/json</c> with a status code.</summary>
internal sealed class JsonNodeResult(JsonNode node, int statusCode = StatusCodes.Status200OK) : IResult
{
    public JsonNode Node => node;

    public int StatusCode => statusCode;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = statusCode;
        httpContext.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(httpContext.Response.Body);
        node.WriteTo(writer);
        await writer.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
    }
}
