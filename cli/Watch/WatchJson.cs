using System.Text.Json;
using System.Text.Json.Nodes;

namespace KojiComposer.Cli.Watch;

/// <summary>
/// <c>--format json</c>: the final status as one object, the same shape whichever source it came from, with the
/// document it was read from under <c>compose</c> (the API's ComposeStatus, or the task's compose-status.json).
/// </summary>
internal static class WatchJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Serialize(WatchState state, string result)
    {
        var images = new JsonArray();
        foreach (var image in state.Images)
        {
            images.Add(new JsonObject
            {
                ["arch"] = image.Arch,
                ["image_type"] = image.ImageType,
                ["status"] = image.Status,
                ["error"] = Error(image.Error),
            });
        }

        var json = new JsonObject
        {
            ["result"] = result,
            ["nvr"] = state.Nvr,
            ["compose_id"] = state.ComposeId?.ToString(),
            ["compose_status"] = state.ComposeStatus,
            ["koji_task_id"] = state.TaskId,
            ["koji_task_state"] = state.TaskState is { } task ? WatchText.Word(task) : null,
            ["koji_task_fault"] = state.TaskFault,
            ["koji_build_id"] = state.BuildId,
            ["images"] = images,
            ["errors"] = new JsonArray([.. state.StepErrors.Select(e => (JsonNode)new JsonObject { ["step"] = e.Step, ["error"] = Error(e.Error) })]),
            ["source"] = state.FromHub ? "hub" : "service",
            ["compose"] = state.Document?.DeepClone(),
        };
        return json.ToJsonString(Indented);
    }

    private static JsonObject? Error(WatchError? error) =>
        error is null ? null : new JsonObject { ["id"] = error.Id, ["reason"] = error.Reason, ["details"] = error.Details?.DeepClone() };
}
