using System.Globalization;
using System.Text.Json.Nodes;
using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Web.Api;

internal static partial class ComposeStatusJson
{
    /// <summary>Our own fields (NVR, task, steps, per-image arch/type/attempts/worker, timestamps) under the
    /// top-level <c>kojicomposer</c> key. Never the reservation token.</summary>
    internal static JsonObject Extension(Compose compose)
    {
        var images = new JsonArray();
        foreach (var image in compose.Images)
        {
            var json = new JsonObject
            {
                ["index"] = image.Index,
                ["arch"] = image.Arch,
                ["image_type"] = image.ImageType,
                ["state"] = image.State.ToWire(),
                ["attempts"] = image.Attempts,
                ["lost_workers"] = image.LostWorkers,
                ["worker"] = image.Worker,
                ["started_at"] = Time(image.StartedAt),
                ["finished_at"] = Time(image.FinishedAt),
                ["error"] = image.Error?.ToJson(),
                ["uploads"] = new JsonArray(image.Uploads.Select(u => (JsonNode)new JsonObject
                {
                    ["type"] = u.Type,
                    ["success"] = u.Success,
                    ["options"] = u.Options.DeepClone(),
                }).ToArray()),
            };
            if (image.Progress is { } progress)
            {
                json["progress"] = new JsonObject
                {
                    ["done"] = progress.Done,
                    ["total"] = progress.Total,
                    ["stage"] = progress.Stage,
                    ["sub_done"] = progress.SubDone,
                    ["sub_total"] = progress.SubTotal,
                };
            }

            images.Add(json);
        }

        return new JsonObject
        {
            ["state"] = compose.State.ToWire(),
            ["nvr"] = compose.Nvr,
            ["name"] = compose.Name,
            ["version"] = compose.Version,
            ["release"] = compose.Release,
            ["distribution"] = compose.Distribution,
            ["koji_task_id"] = compose.KojiTaskId,
            ["koji_server"] = compose.KojiServer,
            ["koji_build_id"] = compose.Reservation?.BuildId,
            ["submitted_by"] = compose.SubmittedBy,
            ["cancel_requested"] = compose.CancelRequested,
            ["generation"] = compose.Generation,
            ["init"] = new JsonObject { ["state"] = compose.InitState.ToWire(), ["error"] = compose.InitError?.ToJson() },
            ["finalize"] = new JsonObject { ["state"] = compose.FinalizeState.ToWire(), ["error"] = compose.FinalizeError?.ToJson() },
            ["created_at"] = Time(compose.CreatedAt),
            ["updated_at"] = Time(compose.UpdatedAt),
            ["finished_at"] = Time(compose.FinishedAt),
            ["images"] = images,
        };
    }

    internal static string? Time(DateTimeOffset? time) => time?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
