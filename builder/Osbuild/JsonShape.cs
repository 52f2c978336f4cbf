using System.Text.Json.Nodes;

namespace KojiComposer.Builder.Osbuild;

/// <summary>Reads osbuild's JSON without trusting its shape: JsonNode's string indexer throws
/// InvalidOperationException on anything but an object, and a result or monitor record of an unexpected shape (a
/// newer or older osbuild, a crash halfway through) must become a classified failure, not an escaping exception.</summary>
internal static class JsonShape
{
    /// <summary><c>node[key]</c> when <paramref name="node"/> is an object, else null.</summary>
    public static JsonNode? Field(this JsonNode? node, string key) =>
        node is JsonObject json && json.TryGetPropertyValue(key, out var value) ? value : null;

    /// <summary>The string <paramref name="node"/> holds, or null.</summary>
    public static string? Text(this JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
