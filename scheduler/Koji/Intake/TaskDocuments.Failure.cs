using System.Text;
using System.Text.Json.Nodes;
using KojiComposer.Contracts.Errors;
using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Koji.Intake;

public static partial class TaskDocuments
{
    private const int OutputLines = 3;
    private const int OutputLineLength = 300;

    /// <summary>
    /// The task fault text for a failed compose: <c>Compose failed (id: U)</c> followed by what failed, e.g.
    /// <c>Compose failed (id: U): x86_64 guest-image: stage org.osbuild.rpm failed: &lt;first lines of its
    /// output&gt;</c>, or the reservation's or import's error.
    /// </summary>
    public static string FailureMessage(Compose compose)
    {
        ArgumentNullException.ThrowIfNull(compose);

        // The text upstream writes (§6.3), which scripts match; what failed follows it.
        var text = new StringBuilder($"Compose failed (id: {compose.Id})");

        // A failed reservation fails every image with it: name the cause, not its consequences.
        if (compose.InitState == StepState.Failure && compose.InitError is { } init)
        {
            return text.Append(": build reservation failed: ").Append(init.Reason).ToString();
        }

        var failed = compose.Images.OrderBy(i => i.Index).Where(i => i.Error is not null || i.State == ImageState.Failure).ToList();
        if (failed.Count > 0)
        {
            var image = failed[0];
            text.Append(": ").Append(image.Arch).Append(' ').Append(image.ImageType).Append(": ").Append(ImageFailure(image.Error));
            if (failed.Count > 1)
            {
                text.Append(failed.Count == 2 ? " (and 1 more image failed)" : $" (and {failed.Count - 1} more images failed)");
            }

            return text.ToString();
        }

        // 13 is "skipped because something before failed", which the checks above name.
        if (compose.FinalizeError is { } import && import.Id != JobErrorCodes.KojiFailedDependency)
        {
            text.Append(": Koji import failed: ").Append(import.Reason);
        }

        return text.ToString();
    }

    // Error 10 from a failed stage carries {stage, id, pipeline, output} (the builder's OsbuildResultClassifier):
    // the stage and the start of what it printed say more than "osbuild build failed".
    private static string ImageFailure(JobError? error)
    {
        if (error is null)
        {
            return "failed";
        }

        if (error.Id == JobErrorCodes.BuildJob
            && error.Details is JsonObject details
            && details["stage"] is JsonValue stage && stage.TryGetValue<string>(out var stageName))
        {
            var output = details["output"] is JsonValue o && o.TryGetValue<string>(out var s) ? FirstLines(s) : "";
            return output.Length == 0 ? $"stage {stageName} failed" : $"stage {stageName} failed: {output}";
        }

        return error.Reason;
    }

    private static string FirstLines(string output)
    {
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r', ' ', '\t')).Where(l => l.Length > 0).ToList();
        var shown = lines.Take(OutputLines).Select(l => l.Length <= OutputLineLength ? l : l[..OutputLineLength] + "[...]");
        var text = string.Join('\n', shown);
        return lines.Count > OutputLines ? text + "\n[...]" : text;
    }
}
