using System.Text.Json.Nodes;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.Contracts.Targets;
using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Web.Api;

/// <summary>
/// composer's <c>ComposeStatus</c> derived from a stored compose, by the rules of composer-api.md §4. The
/// koji-osbuild plugin reads <c>status</c>, <c>image_statuses[].{status, upload_status, error}</c> and
/// <c>koji_status.build_id</c> and crashes on unknown keys inside <c>error</c>: our own fields live only under the
/// top-level <c>kojicomposer</c> key.
/// </summary>
internal static partial class ComposeStatusJson
{
    /// <summary>Composer's wording of the dependency error it records for images whose reservation failed.</summary>
    private const string DependencyFailedReason = "Job dependency failed";

    public static JsonObject Build(Compose compose)
    {
        var images = new JsonArray();
        foreach (var image in compose.Images)
        {
            images.Add(ImageStatus(compose, image));
        }

        var status = new JsonObject
        {
            ["href"] = $"{ComposerErrors.BasePath}/composes/{compose.Id}",
            ["id"] = compose.Id.ToString(),
            ["kind"] = "ComposeStatus",
            ["status"] = OverallStatus(compose),
            ["image_status"] = images.Count > 0 ? images[0]!.DeepClone() : new JsonObject { ["status"] = "pending" },
            ["image_statuses"] = images,
            ["koji_status"] = compose.Reservation is { BuildId: not 0 } reservation
                ? new JsonObject { ["build_id"] = reservation.BuildId }
                : new JsonObject(),
            ["kojicomposer"] = Extension(compose),
        };
        return status;
    }

    /// <summary>True once the import (finalize) step finished: until then the status is <c>pending</c>, even when an
    /// image already failed (composer PR #1117: the plugin would attach incomplete logs).</summary>
    internal static bool FinalizeFinished(Compose compose) => compose.FinalizeState.IsFinal() || compose.State.IsFinal();

    /// <summary><c>status</c>: failure when the import was cancelled; pending until it finished; then failure when the
    /// reservation, any image or the import failed; else success.</summary>
    internal static string OverallStatus(Compose compose)
    {
        if (compose.FinalizeState == StepState.Canceled)
        {
            return "failure";
        }

        if (!FinalizeFinished(compose))
        {
            return "pending";
        }

        var failed = compose.InitState is StepState.Failure or StepState.Canceled
            || compose.Images.Any(i => i.Error is not null || i.State is ImageState.Failure or ImageState.Canceled)
            || compose.FinalizeState == StepState.Failure
            || compose.FinalizeError is not null
            || compose.State is ComposeState.Failure or ComposeState.Canceled;
        return failed ? "failure" : "success";
    }

    /// <summary><c>image_statuses[i].status</c>: failure when cancelled or the reservation failed; pending before the
    /// image started; building while it runs (composer never produces <c>uploading</c>); then failure or success.</summary>
    internal static string ImageStatusName(Compose compose, ComposeImage image)
    {
        if (image.State == ImageState.Canceled || compose.InitState is StepState.Failure or StepState.Canceled)
        {
            return "failure";
        }

        return image.State switch
        {
            ImageState.Pending => "pending",
            ImageState.Building or ImageState.Uploading => "building",
            _ => image.Error is not null || image.State == ImageState.Failure ? "failure" : "success",
        };
    }

    private static JsonObject ImageStatus(Compose compose, ComposeImage image)
    {
        var status = new JsonObject { ["status"] = ImageStatusName(compose, image) };
        if (ImageError(compose, image) is { } error)
        {
            status["error"] = error;
        }

        if (image.Progress is { } progress)
        {
            status["progress"] = ProgressJson(progress);
        }

        var uploads = UploadStatuses(image);
        if (uploads.Count > 0)
        {
            status["upload_status"] = uploads[0]!.DeepClone();
            status["upload_statuses"] = uploads;
        }

        return status;
    }

    /// <summary><c>image_statuses[i].progress</c>: <c>{done, total, subprogress?: {done, total}}</c>.</summary>
    internal static JsonObject ProgressJson(ImageProgress progress)
    {
        var json = new JsonObject { ["done"] = progress.Done, ["total"] = progress.Total };
        if (progress.SubDone is { } subDone && progress.SubTotal is { } subTotal)
        {
            json["subprogress"] = new JsonObject { ["done"] = subDone, ["total"] = subTotal };
        }

        return json;
    }

    /// <summary>The image's error <c>{id, reason, details?}</c>; for dependency-type codes the details are the
    /// failed dependency's error list (for us the reservation's). An image failed by a failed reservation that has
    /// no error recorded yet shows composer's dependency error.</summary>
    internal static JsonObject? ImageError(Compose compose, ComposeImage image)
    {
        var initFailed = compose.InitState == StepState.Failure && compose.InitError is not null;
        var error = image.Error;
        if (error is null)
        {
            return initFailed
                ? new JobError(JobErrorCodes.JobDependency, DependencyFailedReason, new JsonArray(compose.InitError!.ToJson())).ToJson()
                : null;
        }

        if (JobErrorCodes.IsDependencyError(error.Id) && initFailed)
        {
            return new JobError(error.Id, error.Reason, new JsonArray(compose.InitError!.ToJson())).ToJson();
        }

        return error.ToJson();
    }

    /// <summary><c>upload_statuses</c>: one per non-Koji target. Before the image ended its targets come from the
    /// request (<c>upload_targets</c>, or the image type's default target for <c>upload_options</c>); after, from its
    /// upload results, with each target's own outcome (cloud-targets.md §1.1).</summary>
    internal static JsonArray UploadStatuses(ComposeImage image)
    {
        var list = new JsonArray();
        var results = image.Uploads.Where(u => !string.Equals(u.Type, UploadTargetTypes.Koji, StringComparison.Ordinal)).ToList();
        if (results.Count > 0 || image.State.IsFinal())
        {
            foreach (var upload in results)
            {
                var status = image.State == ImageState.Canceled ? "failure" : upload.Success ? "success" : "failure";
                list.Add(new JsonObject { ["status"] = status, ["type"] = upload.Type, ["options"] = upload.Options.DeepClone() });
            }

            if (results.Count == 0 && image.State is ImageState.Failure or ImageState.Canceled)
            {
                foreach (var type in RequestedTargets(image))
                {
                    list.Add(new JsonObject { ["status"] = "failure", ["type"] = type, ["options"] = new JsonObject() });
                }
            }

            return list;
        }

        var running = image.State is ImageState.Building or ImageState.Uploading;
        foreach (var type in RequestedTargets(image))
        {
            list.Add(new JsonObject { ["status"] = running ? "running" : "pending", ["type"] = type, ["options"] = new JsonObject() });
        }

        return list;
    }

    private static IEnumerable<string> RequestedTargets(ComposeImage image)
    {
        if (image.ImageRequest["upload_targets"] is JsonArray targets)
        {
            return targets.Select(t => t?["type"]?.GetValue<string>()).OfType<string>()
                .Where(t => !string.Equals(t, UploadTargetTypes.Koji, StringComparison.Ordinal));
        }

        return image.ImageRequest["upload_options"] is JsonObject ? [UploadTargetTypes.DefaultFor(image.ImageType)] : [];
    }
}
