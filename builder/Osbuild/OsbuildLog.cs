using System.Text.Json.Nodes;

namespace KojiComposer.Builder.Osbuild;

/// <summary>Renders osbuild's <c>--json</c> result as the <c>&lt;image&gt;.osbuild.log</c> text (osbuild-run.md §5).</summary>
public static class OsbuildLog
{
    /// <summary>The log text of <paramref name="document"/>; <c>The compose result is empty.</c> for null.</summary>
    public static string Render(JsonObject? document) => throw new NotImplementedException(document?.ToJsonString());
}
