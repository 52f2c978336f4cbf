using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using KojiComposer.Builder.Manifests;

namespace KojiComposer.Builder.Osbuild;

/// <summary>Renders osbuild's <c>--json</c> result as the <c>&lt;image&gt;.osbuild.log</c> text (osbuild-run.md §5).</summary>
public static class OsbuildLog
{
    // Two-space indentation and LF, whatever the platform; a log is read by people, so no \u-escaping of <, > or &.
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The log text of <paramref name="document"/>; <c>The compose result is empty.</c> for null.</summary>
    /// <remarks>Validation errors first (<c>Error &lt;title&gt;</c>, then <c>&lt;path&gt;: &lt;message&gt;</c>);
    /// without a <c>log</c> that is all; otherwise each pipeline, sorted by name, with each stage's type, output and
    /// (when the pipeline's metadata has an entry for the stage type) metadata, and a blank line after each stage.</remarks>
    public static string Render(JsonObject? document)
    {
        var text = new StringBuilder();
        if (document?["errors"] is JsonArray { Count: > 0 } errors)
        {
            text.Append("Error ").Append(String(document["title"])).Append('\n');
            foreach (var error in errors)
            {
                text.Append(OsbuildResultClassifier.ValidationLine(error)).Append('\n');
            }
        }

        if (document?["log"] is not JsonObject log)
        {
            return Secrets.MaskUrlCredentials(text.Append("The compose result is empty.\n").ToString());
        }

        var metadata = document["metadata"] as JsonObject;
        foreach (var (pipeline, stages) in log.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append("Pipeline: ").Append(pipeline).Append('\n');
            var pipelineMetadata = metadata?[pipeline] as JsonObject;
            foreach (var stage in (stages as JsonArray ?? []).OfType<JsonObject>())
            {
                var type = String(stage["type"]);
                text.Append("Stage: ").Append(type).Append('\n');
                text.Append("Output:\n").Append(String(stage["output"])).Append('\n');
                if (pipelineMetadata is not null && pipelineMetadata.TryGetPropertyValue(type, out var stageMetadata))
                {
                    text.Append("Metadata:\n").Append(stageMetadata?.ToJsonString(Indented) ?? "null").Append('\n');
                }

                text.Append('\n');
            }
        }

        // Uploaded to Koji for anyone to read: stage output quotes repository URLs, which may carry credentials.
        return Secrets.MaskUrlCredentials(text.ToString());
    }

    private static string String(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "";
}
