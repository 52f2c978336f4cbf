using KojiComposer.Contracts.Images;

namespace KojiComposer.Builder.Osbuild;

/// <summary>Turns monitor records into the image progress users see (composer's shape: outer counter, nested
/// counter, what runs now).</summary>
internal static class ImageProgressReader
{
    /// <summary>The progress a record carries, or null when it carries none.</summary>
    /// <remarks>Stage is the nested counter's name (<c>pipeline: os</c>), with the running stage type added when the
    /// record's context is in that same pipeline: a "Starting pipeline X" record's context still names the previous
    /// pipeline's stage (osbuild-run.md §3, verified).</remarks>
    public static ImageProgress? From(MonitorRecord record)
    {
        if (record.Progress is not { } outer)
        {
            return null;
        }

        var nested = outer.Nested;
        var stage = nested?.Name ?? outer.Name;
        if (nested?.Name is { } pipeline && record.StageType is { } type && record.PipelineName is { } name
            && string.Equals(pipeline, "pipeline: " + name, StringComparison.Ordinal))
        {
            stage = $"{pipeline} ({type})";
        }

        return new ImageProgress(outer.Done, outer.Total, stage, nested?.Done, nested?.Total);
    }
}
