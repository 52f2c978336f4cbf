using System.Globalization;
using System.Text.Json.Nodes;

namespace KojiComposer.Builder.Osbuild;

/// <summary>The details of each kind of failure: what failed and what it said.</summary>
internal static partial class OsbuildResultClassifier
{
    /// <summary><c>errors[]</c> of a validation document as <c>"&lt;path&gt;: &lt;message&gt;"</c> lines, numeric
    /// path elements as <c>[n]</c> (images' <c>ValidationError</c>), e.g. <c>pipelines.[1].stages.[0].options: …</c>.</summary>
    internal static bool IsValidationError(JsonObject document, out JsonArray errors)
    {
        errors = [];
        var isValidation = string.Equals(String(document["type"]), ValidationErrorType, StringComparison.Ordinal);
        if (document["errors"] is JsonArray list && list.Count > 0)
        {
            foreach (var error in list)
            {
                errors.Add(ValidationLine(error));
            }

            return true;
        }

        if (isValidation)
        {
            errors.Add(String(document["title"]) ?? "the manifest failed validation (no errors listed)");
        }

        return isValidation;
    }

    /// <summary>One validation error as a line.</summary>
    internal static string ValidationLine(JsonNode? error)
    {
        var path = error.Field("path") is JsonArray parts
            ? string.Join('.', parts.Select(p => p is JsonValue v && v.TryGetValue<double>(out var n)
                ? string.Create(CultureInfo.InvariantCulture, $"[{n:0}]")
                : String(p) ?? p?.ToJsonString() ?? "null"))
            : "";
        // A bare string is the message itself (quoted and \u-escaped by ToJsonString, it would read badly).
        return $"{path}: {String(error.Field("message")) ?? String(error) ?? error?.ToJsonString() ?? "null"}";
    }

    // {"stage": type, "id", "pipeline"?, "output", "error"?}: from error.details.stage, or from the log's failed stage.
    private static JsonObject StageDetails(JsonObject document)
    {
        var stage = document["error"].Field("details").Field("stage") as JsonObject ?? FailedStage(document)?.Stage;
        var id = String(stage?["id"]);
        var details = new JsonObject
        {
            ["stage"] = String(stage?["type"]) ?? "unknown stage",
            ["id"] = id,
        };
        if ((PipelineOf(document, id) ?? FailedStage(document)?.Pipeline) is { } pipeline)
        {
            details["pipeline"] = pipeline;
        }

        details["output"] = String(stage?["output"]) ?? String(FailedStage(document)?.Stage["output"]) ?? "";
        if (stage?["error"] is { } error && error.GetValueKind() != System.Text.Json.JsonValueKind.Null)
        {
            details["error"] = error.DeepClone();
        }

        return details;
    }

    // {"source": type, "output", "items"?: the failed items with their errors}.
    private static JsonObject SourceDetails(JsonObject document)
    {
        var source = document["error"].Field("details").Field("source");
        var type = String(source.Field("type")) ?? "unknown source";
        var details = new JsonObject { ["source"] = type, ["output"] = String(source.Field("output")) ?? "" };
        if (document["sources"].Field(type) is JsonArray items)
        {
            var failed = new JsonArray();
            foreach (var item in items.OfType<JsonObject>().Where(i => i["error"] is not null))
            {
                failed.Add(item.DeepClone());
            }

            if (failed.Count > 0)
            {
                details["items"] = failed;
            }
        }

        return details;
    }

    private static (string Pipeline, JsonObject Stage)? FailedStage(JsonObject document)
    {
        if (document["log"] is not JsonObject log)
        {
            return null;
        }

        foreach (var (pipeline, stages) in log)
        {
            foreach (var stage in (stages as JsonArray ?? []).OfType<JsonObject>())
            {
                if (stage["success"] is JsonValue s && s.TryGetValue<bool>(out var ok) && !ok)
                {
                    return (pipeline, stage);
                }
            }
        }

        return null;
    }

    private static string? PipelineOf(JsonObject document, string? stageId)
    {
        if (stageId is null || document["log"] is not JsonObject log)
        {
            return null;
        }

        return log.FirstOrDefault(p => (p.Value as JsonArray ?? []).OfType<JsonObject>()
            .Any(s => string.Equals(String(s["id"]), stageId, StringComparison.Ordinal))).Key;
    }
}
