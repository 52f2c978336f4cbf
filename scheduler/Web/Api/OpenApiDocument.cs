using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace KojiComposer.Scheduler.Web.Api;

/// <summary>
/// The API's OpenAPI 3.0 document, <c>GET /api/image-builder-composer/v2/openapi</c>. Hand-maintained and embedded
/// (<c>openapi.json</c>) rather than generated: the handlers read and write composer's JSON shapes as JSON nodes, so
/// a generator would describe every body as an empty object; a written document states composer's shapes, works
/// without reflection at run time, and a test holds it to the mapped routes.
/// </summary>
internal static class OpenApiDocument
{
    private static readonly Lazy<string> Text = new(() =>
    {
        using var stream = typeof(OpenApiDocument).Assembly.GetManifestResourceStream("KojiComposer.Scheduler.Web.Api.openapi.json")
            ?? throw new InvalidOperationException("the embedded OpenAPI document is missing");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        _ = JsonNode.Parse(text); // fail loudly on a broken document
        return text;
    });

    public static IResult Result() => Results.Text(Text.Value, "application/json");
}
