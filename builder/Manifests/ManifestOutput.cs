using System.Text.Json;
using System.Text.Json.Nodes;

namespace KojiComposer.Builder.Manifests;

/// <summary>Checks a generator's output and cuts excerpts of it for error details.</summary>
internal static class ManifestOutput
{
    private const int ExcerptChars = 4000;

    /// <summary><paramref name="node"/> when it is a manifest v2 object (<c>"version": "2"</c>, osbuild-run.md §8).</summary>
    public static JsonObject? AsManifest(JsonNode? node) =>
        node is JsonObject manifest && manifest["version"] is JsonValue v && v.TryGetValue<string>(out var version) && version == "2"
            && manifest["pipelines"] is JsonArray
            ? manifest
            : null;

    /// <summary>Parses <paramref name="text"/> as JSON, or null when it is not JSON.</summary>
    public static JsonNode? TryParse(string text)
    {
        try
        {
            return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The last <c>ExcerptChars</c> characters of <paramref name="text"/>, secrets masked.</summary>
    public static string Tail(string text, Secrets secrets)
    {
        var clean = secrets.Redact(text.Trim());
        return clean.Length <= ExcerptChars ? clean : "[...]" + clean[^ExcerptChars..];
    }

    /// <summary>The first <c>ExcerptChars</c> characters of <paramref name="text"/>, secrets masked.</summary>
    public static string Head(string text, Secrets secrets)
    {
        var clean = secrets.Redact(text.Trim());
        return clean.Length <= ExcerptChars ? clean : clean[..ExcerptChars] + "[...]";
    }

    /// <summary>Error 8 for output that is not a v2 manifest.</summary>
    public static Contracts.Errors.ComposeStepException NotAManifest(string generator, GeneratorOutput output, Secrets secrets) =>
        ManifestErrors.Generation(
            $"{generator} did not print a manifest v2 (JSON with \"version\": \"2\")",
            new JsonObject { ["stdout"] = Head(output.Stdout, secrets), ["stderr"] = Tail(output.Stderr, secrets) });
}
