using System.Text.Json.Nodes;

namespace KojiComposer.Builder.Osbuild;

/// <summary>
/// Older osbuild printed a v1 result: <c>{"success", "build": {"stages": [...]}, "stages": [...], "assembler": {...}}</c>
/// with stages <c>{"name", "success", "output", "metadata"}</c>. Like images' <c>pkg/osbuild/result.go</c>, it is
/// detected by any of <c>build</c>, <c>stages</c>, <c>assembler</c> and converted to the v2 shape: the build stages
/// become pipeline <c>build</c>, the main stages <c>os</c>, the assembler a one-stage pipeline <c>assembler</c>, and
/// each stage's metadata goes under its pipeline and stage type.
/// </summary>
internal static class OsbuildResultV1
{
    /// <summary>True for a v1 result.</summary>
    public static bool IsV1(JsonObject document) =>
        IsPresent(document["build"]) || IsPresent(document["stages"]) || IsPresent(document["assembler"]);

    /// <summary>The v2 form of a v1 result.</summary>
    public static JsonObject ToV2(JsonObject v1)
    {
        var log = new JsonObject();
        var metadata = new JsonObject();
        if (v1["build"].Field("stages") is JsonArray buildStages)
        {
            Add("build", buildStages, log, metadata);
        }

        if (v1["assembler"] is JsonObject assembler)
        {
            Add("assembler", [assembler.DeepClone()], log, metadata);
        }

        if (v1["stages"] is JsonArray stages && stages.Count > 0)
        {
            Add("os", stages, log, metadata);
        }

        var success = v1["success"] is JsonValue s && s.TryGetValue<bool>(out var ok) && ok;
        return new JsonObject
        {
            ["type"] = "result",
            ["success"] = success,
            ["log"] = log,
            ["metadata"] = metadata,
        };
    }

    private static void Add(string pipeline, JsonArray stages, JsonObject log, JsonObject metadata)
    {
        var entries = new JsonArray();
        var pipelineMetadata = new JsonObject();
        foreach (var stage in stages.OfType<JsonObject>())
        {
            var type = stage["name"]?.DeepClone() ?? "";
            var entry = new JsonObject { ["id"] = "", ["type"] = type, ["output"] = stage["output"]?.DeepClone() ?? "" };
            if (stage["success"] is JsonValue s && s.TryGetValue<bool>(out var ok) && !ok)
            {
                entry["success"] = false;
            }

            entries.Add(entry);
            if (IsPresent(stage["metadata"]) && type is JsonValue t && t.TryGetValue<string>(out var name))
            {
                pipelineMetadata[name] = stage["metadata"]!.DeepClone();
            }
        }

        log[pipeline] = entries;
        if (pipelineMetadata.Count > 0)
        {
            metadata[pipeline] = pipelineMetadata;
        }
    }

    private static bool IsPresent(JsonNode? node) => node is not null && node.GetValueKind() != System.Text.Json.JsonValueKind.Null;
}
