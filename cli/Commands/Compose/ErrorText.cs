using System.Text.Json.Nodes;

namespace KojiComposer.Cli.Commands.Compose;

/// <summary>
/// A job error (<c>{id, reason, details}</c>, composer's shape, osbuildimage-task.md §9) as indented lines:
/// <c>error 10: osbuild build failed: stage org.osbuild.rpm in pipeline os</c>, then the stage's output; a
/// dependency error's details (the errors it depends on) nested below it; other details as <c>key: value</c>.
/// </summary>
internal static class ErrorText
{
    /// <summary>The lines of <paramref name="error"/>, each starting with <paramref name="indent"/>.</summary>
    /// <param name="error">The error object.</param>
    /// <param name="indent">Indentation of the first line; details go two spaces deeper.</param>
    /// <param name="maxOutputLines">At most this many lines of a stage's output (its end, where osbuild says what
    /// failed); null: all of it.</param>
    public static IEnumerable<string> Lines(JsonObject error, string indent, int? maxOutputLines = null)
    {
        var head = $"{indent}error {Json.Scalar(error["id"])}: {Json.Text(error["reason"]) ?? "(no reason)"}";
        var deeper = indent + "  ";
        switch (error["details"])
        {
            case null:
                yield return head;
                break;
            case JsonValue value when value.TryGetValue<string>(out var text):
                var textLines = SplitLines(text);
                if (textLines.Count <= 1)
                {
                    yield return textLines.Count == 0 ? head : $"{head}: {textLines[0]}";
                }
                else
                {
                    yield return head;
                    foreach (var line in textLines)
                    {
                        yield return deeper + line;
                    }
                }

                break;
            case JsonArray causes:
                yield return head;
                foreach (var cause in causes)
                {
                    var lines = cause is JsonObject nested && nested.ContainsKey("reason")
                        ? Lines(nested, deeper, maxOutputLines)
                        : [deeper + Json.Scalar(cause)];
                    foreach (var line in lines)
                    {
                        yield return line;
                    }
                }

                break;
            case JsonObject details when details["stage"] is JsonValue stage:
                var where = details["pipeline"] is JsonValue pipeline ? $" in pipeline {Json.Scalar(pipeline)}" : "";
                yield return $"{head}: stage {Json.Scalar(stage)}{where}";
                foreach (var line in Output(Json.Text(details["output"]), deeper, maxOutputLines))
                {
                    yield return line;
                }

                break;
            case JsonObject details:
                yield return head;
                foreach (var (key, value) in details)
                {
                    yield return $"{deeper}{key}: {Json.Scalar(value)}";
                }

                break;
            case var other:
                yield return $"{head}: {Json.Scalar(other)}";
                break;
        }
    }

    /// <summary>Program output (a stage's, osbuild's) as indented lines; the last
    /// <paramref name="maxLines"/> when given, after a line saying how many were left out.</summary>
    public static IEnumerable<string> Output(string? output, string indent, int? maxLines = null)
    {
        var lines = SplitLines(output ?? "");
        var skip = maxLines is { } max && lines.Count > max ? lines.Count - max : 0;
        if (skip > 0)
        {
            yield return $"{indent}… {skip} earlier line(s); kojicomposer compose logs shows them all";
        }

        foreach (var line in lines.Skip(skip))
        {
            yield return indent + line;
        }
    }

    private static List<string> SplitLines(string text) =>
        [.. text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n').Where((line, i) => i > 0 || line.Length > 0)];
}
