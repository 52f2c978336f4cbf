using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using KojiComposer.Config.Cli;

namespace KojiComposer.Cli.Commands.Compose;

/// <summary>
/// <c>kojicomposer compose show ID|TASK</c>: one compose: NVR, state, Koji task and build (linked when the profile
/// knows the Koji web UI), who submitted it, when; the reservation and import steps with their errors; one line per
/// image (arch, type, state and progress, attempts, worker) with its error and upload results below it. JSON: the
/// API's ComposeStatus as it is.
/// </summary>
internal sealed class ComposeShowCommand : ComposeReferenceCommand
{
    /// <summary>Lines of a failed stage's output shown per error (its end); <c>compose logs</c> has all.</summary>
    private const int OutputLines = 10;

    public ComposeShowCommand(CliConsole console)
        : base(console, "show", "Show a compose: state, Koji task and build, steps, images with errors and uploads")
    {
    }

    protected override async Task<int> ExecuteAsync(CommandContext context, ParseResult parse, CancellationToken cancellationToken)
    {
        var compose = await ResolveAsync(context, parse, cancellationToken).ConfigureAwait(false);
        if (context.Json)
        {
            await WriteJsonAsync(compose.Status).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        await WriteLinesAsync(Console.Out, Render(compose, KojiWeb(context.Profile, compose))).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>The text of <c>compose show</c>.</summary>
    internal static IEnumerable<string> Render(ComposeView compose, Uri? kojiWeb)
    {
        yield return $"Compose {compose.Id}: {compose.Nvr ?? "(no NVR)"}";
        var fields = new List<(string, string)>
        {
            ("State", compose.CancelRequested && !compose.IsFinal ? $"{compose.State} (cancel requested)" : compose.State),
        };
        if (compose.Distribution is { } distribution)
        {
            fields.Add(("Distribution", distribution));
        }

        fields.Add(("Koji task", compose.TaskId is { } task ? WithLink(task, kojiWeb, "taskinfo?taskID=") : "none (submitted through the API)"));
        fields.Add(("Koji build", compose.BuildId is { } build ? WithLink(build, kojiWeb, "buildinfo?buildID=") : "none yet"));
        fields.Add(("Submitted by", compose.SubmittedBy ?? "-"));
        fields.Add(("Created", Json.Show(compose.CreatedAt)));
        fields.Add(("Finished", compose.FinishedAt is null ? "not yet" : Json.Show(compose.FinishedAt)));
        var width = Math.Max("Reservation".Length, fields.Max(f => f.Item1.Length)) + 2;
        foreach (var (name, value) in fields)
        {
            yield return $"  {(name + ":").PadRight(width)}{value}";
        }

        foreach (var line in Step("Reservation", compose.Init, width).Concat(Step("Import", compose.Finalize, width)))
        {
            yield return line;
        }

        var images = compose.Images;
        if (images.Count == 0)
        {
            yield return $"  {"Images:".PadRight(width)}none";
            yield break;
        }

        yield return $"  Images ({images.Count(i => i.State == "success")} of {images.Count} built):";
        var rows = PlainTable.Lines(null, [.. images.Select(ImageRow)]).ToList();
        for (var i = 0; i < images.Count; i++)
        {
            yield return "    " + rows[i];
            foreach (var line in ImageDetails(images[i], "      "))
            {
                yield return line;
            }
        }
    }

    private static IEnumerable<string> Step(string name, JsonObject? step, int width)
    {
        if (step is null)
        {
            yield break;
        }

        yield return $"  {(name + ":").PadRight(width)}{Json.Text(step["state"]) ?? "unknown"}";
        if (step["error"] is JsonObject error)
        {
            foreach (var line in ErrorText.Lines(error, "    ", OutputLines))
            {
                yield return line;
            }
        }
    }

    private static string[] ImageRow(ImageView image)
    {
        var attempts = image.Attempts switch
        {
            0 => "not started",
            1 => "attempt 1",
            var n => $"{n} attempts",
        };
        if (image.LostWorkers > 0)
        {
            attempts += $" ({image.LostWorkers} lost worker{(image.LostWorkers == 1 ? "" : "s")})";
        }

        return
        [
            image.Index.ToString(CultureInfo.InvariantCulture),
            image.Arch,
            image.ImageType,
            image.State + Progress(image),
            attempts,
            image.Worker is { } worker ? "on " + worker : "",
        ];
    }

    /// <summary><c> (3/5, org.osbuild.rpm 2/10)</c> while an image builds.</summary>
    private static string Progress(ImageView image)
    {
        if (image.Progress is not { } progress || image.State is not ("building" or "uploading"))
        {
            return "";
        }

        var parts = $"{Json.Scalar(progress["done"])}/{Json.Scalar(progress["total"])}";
        var stage = Json.Text(progress["stage"]);
        var sub = Json.Number(progress["sub_done"]) is { } subDone && Json.Number(progress["sub_total"]) is { } subTotal ? $"{subDone}/{subTotal}" : null;
        if (stage is not null || sub is not null)
        {
            parts += ", " + string.Join(' ', new[] { stage, sub }.OfType<string>());
        }

        return $" ({parts})";
    }

    private static IEnumerable<string> ImageDetails(ImageView image, string indent)
    {
        if (image.Error is { } error)
        {
            foreach (var line in ErrorText.Lines(error, indent, OutputLines))
            {
                yield return line;
            }
        }

        foreach (var upload in image.Uploads.OfType<JsonObject>())
        {
            yield return indent + UploadText(upload);
        }
    }

    /// <summary><c>upload koji: success, Fedora-Cloud-42-1.x86_64.qcow2 (4096 bytes)</c>; cloud targets list their
    /// scalar options (<c>ami=ami-0abc region=us-east-1</c>).</summary>
    internal static string UploadText(JsonObject upload)
    {
        var type = Json.Text(upload["type"]) ?? "?";
        var outcome = upload["success"] is JsonValue v && v.TryGetValue<bool>(out var ok) ? ok ? "success" : "failure" : "unknown";
        var options = upload["options"] as JsonObject ?? [];
        string? what;
        if (options["image"] is JsonObject file)
        {
            what = Json.Text(file["filename"]) is { } name ? name + (Json.Number(file["size"]) is { } size ? $" ({size} bytes)" : "") : null;
        }
        else
        {
            var pairs = options.Where(p => p.Value is JsonValue).Select(p => $"{p.Key}={Json.Scalar(p.Value)}").ToList();
            what = pairs.Count > 0 ? string.Join(' ', pairs) : null;
        }

        return $"upload {type}: {outcome}{(what is null ? "" : ", " + what)}";
    }

    private static string WithLink(long id, Uri? web, string page) =>
        web is null ? id.ToString(CultureInfo.InvariantCulture) : $"{id}  {web.AbsoluteUri.TrimEnd('/')}/{page}{id}";

    /// <summary>The Koji web UI to link to: the profile's, when the compose's hub is the profile's hub (a link into
    /// another Koji would point at the wrong task).</summary>
    internal static Uri? KojiWeb(CliProfile profile, ComposeView compose)
    {
        if (profile.EffectiveWebUrl is not { } web)
        {
            return null;
        }

        if (compose.KojiServer is { } server && profile.Server is { } hub
            && Uri.TryCreate(server, UriKind.Absolute, out var composeHub)
            && !string.Equals(composeHub.AbsoluteUri.TrimEnd('/'), hub.AbsoluteUri.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return web;
    }
}
