using System.Text.Json;
using System.Text.Json.Nodes;
using KojiComposer.Contracts.Errors;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Web.Api;

namespace KojiComposer.Scheduler.Koji.Intake;

/// <summary>
/// The task attachments of an <c>osbuildImage</c> task (osbuildimage-task.md §5, §6): their names and their
/// content, from the stored compose. Written like Python's <c>json.dump(indent=4, sort_keys=True)</c>
/// (<see cref="PythonJson"/>). Never the reservation token.
/// </summary>
public static partial class TaskDocuments
{
    /// <summary><c>compose-request.json</c>.</summary>
    public const string ComposeRequestFile = "compose-request.json";

    /// <summary><c>compose-status.json</c>.</summary>
    public const string ComposeStatusFile = "compose-status.json";

    /// <summary><c>koji-init.log.json</c>.</summary>
    public const string InitLogFile = "koji-init.log.json";

    /// <summary><c>koji-import.log.json</c>.</summary>
    public const string ImportLogFile = "koji-import.log.json";

    /// <summary><c>&lt;arch&gt;-&lt;image type&gt;.manifest.json</c>.</summary>
    public static string ManifestFile(ComposeImage image) => $"{image.Arch}-{image.ImageType}.manifest.json";

    /// <summary><c>&lt;arch&gt;-&lt;image type&gt;.log.json</c>.</summary>
    public static string ImageLogFile(ComposeImage image) => $"{image.Arch}-{image.ImageType}.log.json";

    /// <summary>compose-status.json (§6.1): <c>image_statuses</c> (status, upload_status, error, progress),
    /// <c>koji_build_id</c> once reserved, <c>koji_task_id</c>, <c>status</c>.</summary>
    public static JsonObject ComposeStatus(Compose compose)
    {
        ArgumentNullException.ThrowIfNull(compose);

        // The API's derivations (composer-api.md §4), in the plugin's shape: no href/id/kind, no image_status, only
        // the first cloud target as upload_status (koji-osbuild ComposeStatus/ImageStatus.as_dict).
        var images = new JsonArray();
        foreach (var image in compose.Images.OrderBy(i => i.Index))
        {
            // TC-08: an image that never ran because the reservation failed is only "failure"; the reason is the
            // reservation's, which koji-init.log.json and the task's fault carry. No error 26, no upload_status of a
            // target it never reached.
            if (FailedByReservation(compose, image))
            {
                images.Add(new JsonObject { ["status"] = "failure" });
                continue;
            }

            var status = new JsonObject();
            if (ComposeStatusJson.ImageError(compose, image) is { } error)
            {
                if (error["details"] is JsonObject { Count: 0 } or JsonArray { Count: 0 })
                {
                    error.Remove("details");
                }

                status["error"] = error;
            }

            // Progress while the image runs; a finished image's last report says nothing more than its status.
            if (image.Progress is { } progress && !image.State.IsFinal())
            {
                status["progress"] = ComposeStatusJson.ProgressJson(progress);
            }

            status["status"] = ComposeStatusJson.ImageStatusName(compose, image);
            if (ComposeStatusJson.UploadStatuses(image) is { Count: > 0 } uploads)
            {
                status["upload_status"] = uploads[0]!.DeepClone();
            }

            images.Add(status);
        }

        var json = new JsonObject { ["image_statuses"] = images };
        if (compose.Reservation is { BuildId: not 0 } reservation)
        {
            json["koji_build_id"] = reservation.BuildId;
        }

        // Upstream always writes null here (koji-osbuild #122); we know the task (§10).
        json["koji_task_id"] = compose.KojiTaskId;
        json["status"] = ComposeStatusJson.OverallStatus(compose);
        return json;
    }

    /// <summary>The image ended only because the reservation failed: it has no error of its own, or the dependency
    /// error the store records for that.</summary>
    private static bool FailedByReservation(Compose compose, ComposeImage image) =>
        compose.InitState == StepState.Failure
        && (image.Error is null || JobErrorCodes.IsDependencyError(image.Error.Id));

    /// <summary>The manifest of one image as JSON, or null when none was made.</summary>
    public static JsonNode? Manifest(ComposeImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Parse(image.Manifest);
    }

    private static JsonNode? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
