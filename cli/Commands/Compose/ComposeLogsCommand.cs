using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace KojiComposer.Cli.Commands.Compose;

/// <summary>
/// <c>kojicomposer compose logs ID|TASK [--image ARCH|INDEX]</c>: the API's <c>/logs</c> made readable: the Koji
/// reservation and import, then each image's build result (osbuild's version and host, its error, every pipeline's
/// stages with their output, the files handed to Koji, cloud upload results). JSON: the API's ComposeLogs as it is.
/// </summary>
internal sealed class ComposeLogsCommand : ComposeReferenceCommand
{
    private readonly Option<string?> _image = new("--image") { Description = "Only this image: its architecture (all images of that arch) or its index (0, 1, …)" };

    public ComposeLogsCommand(CliConsole console)
        : base(console, "logs", "Show a compose's logs: the Koji reservation and import, and each image's osbuild result")
    {
        Add(_image);
    }

    protected override async Task<int> ExecuteAsync(CommandContext context, ParseResult parse, CancellationToken cancellationToken)
    {
        var compose = await ResolveAsync(context, parse, cancellationToken).ConfigureAwait(false);
        var images = Select(compose, parse.GetValue(_image));
        var logs = await context.Service.GetLogsAsync(Guid.Parse(compose.Id), cancellationToken).ConfigureAwait(false);
        if (context.Json)
        {
            await WriteJsonAsync(logs).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        await WriteLinesAsync(Console.Out, Render(compose, logs, images, koji: parse.GetValue(_image) is null)).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>The images <c>--image</c> names (all without it).</summary>
    /// <exception cref="BaseCommand.CliException">No image matches (not found).</exception>
    internal static IReadOnlyList<ImageView> Select(ComposeView compose, string? selector)
    {
        var images = compose.Images;
        if (selector is null)
        {
            return images;
        }

        var chosen = int.TryParse(selector, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? images.Where(i => i.Index == index).ToList()
            : images.Where(i => string.Equals(i.Arch, selector, StringComparison.OrdinalIgnoreCase)).ToList();
        return chosen.Count > 0
            ? chosen
            : throw new CliException(ExitCodes.NotFound, $"compose {compose.Id} has no image \"{selector}\": its images are {string.Join(", ", images.Select(i => i.Label))} (--image takes an arch or an index)");
    }

    /// <summary>The text of <c>compose logs</c>.</summary>
    internal static IEnumerable<string> Render(ComposeView compose, JsonObject logs, IReadOnlyList<ImageView> images, bool koji = true)
    {
        yield return $"Logs of compose {compose.Id} ({compose.Title})";
        var kojiLogs = logs["koji"] as JsonObject ?? [];
        if (koji)
        {
            foreach (var line in Step("Koji reservation (CGInitBuild)", compose.Init, kojiLogs["init"] as JsonObject)
                .Concat(Step("Koji import (CGImport)", compose.Finalize, kojiLogs["import"] as JsonObject)))
            {
                yield return line;
            }
        }

        var builds = logs["image_builds"] as JsonArray ?? [];
        var all = compose.Images;
        foreach (var image in images)
        {
            var position = all.ToList().FindIndex(i => i.Index == image.Index);
            var build = position >= 0 && position < builds.Count ? builds[position] as JsonObject : null;
            foreach (var line in Image(image, build))
            {
                yield return line;
            }
        }
    }

    private static IEnumerable<string> Step(string name, JsonObject? step, JsonObject? log)
    {
        var state = Json.Text(step?["state"]) ?? "unknown";
        var build = Json.Number(log?["build_id"]) is { } id and not 0 ? $", build {id}" : "";
        yield return $"{name}: {state}{build}";
        if (Json.Text(log?["koji_error"]) is { Length: > 0 } kojiError)
        {
            yield return $"  Koji error: {kojiError.ReplaceLineEndings(" ")}";
        }

        if ((log?["job_error"] ?? step?["error"]) is JsonObject error)
        {
            foreach (var line in ErrorText.Lines(error, "  "))
            {
                yield return line;
            }
        }
    }

    private static IEnumerable<string> Image(ImageView image, JsonObject? build)
    {
        if (build is null || build.Count == 0)
        {
            yield return $"Image {image.Label}: {image.State}, no build result yet";
            if (image.Error is { } pending)
            {
                foreach (var line in ErrorText.Lines(pending, "  "))
                {
                    yield return line;
                }
            }

            yield break;
        }

        var success = build["success"] is JsonValue v && v.TryGetValue<bool>(out var ok) && ok;
        var osbuild = Json.Text(build["osbuild_version"]) is { } version ? $"osbuild {version}" : null;
        var host = Json.Text(build["host_os"]) is { } os ? $"on {os}" : null;
        var where = osbuild is null && host is null ? "" : $" ({string.Join(' ', new[] { osbuild, host }.OfType<string>())})";
        yield return $"Image {image.Label}: {(success ? "success" : "failure")}{where}";
        if (build["job_error"] is JsonObject error)
        {
            foreach (var line in ErrorText.Lines(error, "  "))
            {
                yield return line;
            }
        }

        if (build["osbuild_output"]?["log"] is JsonObject pipelines)
        {
            foreach (var (pipeline, stages) in pipelines)
            {
                yield return $"  pipeline {pipeline}:";
                foreach (var stage in (stages as JsonArray ?? []).OfType<JsonObject>())
                {
                    var failed = stage["success"] is JsonValue s && s.TryGetValue<bool>(out var good) && !good;
                    yield return $"    {Json.Text(stage["type"]) ?? "?"}{(failed ? ": failed" : "")}";
                    foreach (var line in ErrorText.Output(Json.Text(stage["output"]), "      "))
                    {
                        yield return line;
                    }
                }
            }
        }

        if (build["koji"]?["files"] is JsonArray { Count: > 0 } files)
        {
            yield return "  Koji files:";
            foreach (var file in files.OfType<JsonObject>())
            {
                var size = Json.Number(file["filesize"]) is { } bytes ? $", {bytes} bytes" : "";
                yield return $"    {Json.Text(file["filename"]) ?? "?"} ({Json.Text(file["type"]) ?? "file"}{size})";
            }
        }

        foreach (var target in (build["target_results"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var options = (target["options"] as JsonObject ?? []).Where(p => p.Value is JsonValue).Select(p => $"{p.Key}={Json.Scalar(p.Value)}");
            yield return $"  upload {Json.Text(target["name"]) ?? Json.Text(target["type"]) ?? "?"}: {string.Join(' ', options)}".TrimEnd();
        }

        if (Json.Text(build["upload_status"]) is { } upload)
        {
            yield return $"  Upload: {upload}";
        }
    }
}
