using System.Globalization;
using System.Text.Json.Nodes;

namespace KojiComposer.Builder.Osbuild;

/// <summary>One JSONSeqMonitor record (osbuild-run.md §3), its context resolved from earlier records when it came
/// by id only.</summary>
/// <param name="Message">Log text: stage output chunk or a "Starting module T"-style message; null when absent.</param>
/// <param name="Context">The full context (<c>origin</c>, <c>pipeline</c>), or null when absent or never sent in full.</param>
/// <param name="Progress">The outer progress counter, or null.</param>
/// <param name="Result">A finished module's result (<c>{name, id, success, output}</c>), or null.</param>
/// <param name="Json">The whole record.</param>
internal sealed record MonitorRecord(string? Message, JsonObject? Context, MonitorProgress? Progress, JsonObject? Result, JsonObject Json)
{
    /// <summary><c>context.origin</c>: <c>osbuild.monitor</c> for user-level messages, <c>stages/&lt;type&gt;</c>
    /// for stage output.</summary>
    public string? Origin => Context.Field("origin").Text();

    /// <summary><c>context.pipeline.name</c>.</summary>
    public string? PipelineName => Context.Field("pipeline").Field("name").Text();

    /// <summary><c>context.pipeline.stage.name</c>: the stage type running, e.g. <c>org.osbuild.rpm</c>.</summary>
    public string? StageType => Context.Field("pipeline").Field("stage").Field("name").Text();
}

/// <summary>A <c>progress</c> object: <c>{name, total, done, progress?}</c>, nested once for the stages of the
/// current pipeline.</summary>
internal sealed record MonitorProgress(string? Name, int Total, int Done, MonitorProgress? Nested)
{
    /// <summary>Reads a progress object; null when it is not one.</summary>
    public static MonitorProgress? From(JsonNode? node, int depth = 0)
    {
        if (node is not JsonObject json || depth > 4)
        {
            return null;
        }

        return new MonitorProgress(
            json["name"] is JsonValue n && n.TryGetValue<string>(out var name) ? name : null,
            Number(json["total"]),
            Number(json["done"]),
            From(json["progress"], depth + 1));
    }

    // A count as a number, or as a string holding one (seen from Python code that formats its counters): either way
    // the user sees the right count instead of 0.
    private static int Number(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return 0;
        }

        if (value.TryGetValue<int>(out var i))
        {
            return i;
        }

        var d = value.TryGetValue<double>(out var n) ? n
            : value.TryGetValue<string>(out var s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed
            : double.NaN;
        return double.IsFinite(d) ? (int)Math.Clamp(d, int.MinValue, int.MaxValue) : 0;
    }
}
