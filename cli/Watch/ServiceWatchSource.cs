using System.Text.Json.Nodes;
using KojiComposer.Cli.Service;
using static KojiComposer.Cli.Commands.BaseCommand;

namespace KojiComposer.Cli.Watch;

/// <summary>
/// The compose as the service's API shows it (<c>GET /composes/{id}</c>, scheduler ComposeStatusJson: composer's
/// ComposeStatus plus the <c>kojicomposer</c> fields). For a task, first the service's newest compose for it
/// (<c>GET /composes/?task_id=N</c>), which does not exist while the task waits for a builder; the task's own
/// state comes from the hub when the profile names one.
/// </summary>
internal sealed class ServiceWatchSource(ServiceClient service, WatchTarget target, KojiTaskReader? task) : WatchSource
{
    private Guid? _composeId = target.ComposeId;

    public override async Task<WatchState> ReadAsync(CancellationToken cancellationToken)
    {
        JsonObject? compose;
        if (_composeId is { } id)
        {
            compose = await service.GetComposeAsync(id, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            compose = await service.FindComposeForTaskAsync(target.TaskId!.Value, cancellationToken).ConfigureAwait(false);
            if (compose is null && task is null)
            {
                throw new CliException(ExitCodes.NotFound,
                    $"KojiComposer service {service.DisplayUrl}: there is no compose for {target}, and no hub to ask about the task: set server = \"https://koji.example.com/kojihub\" in the profile, or pass --hub URL, to follow a task the service has not taken yet");
            }

            _composeId = Text(compose?["id"]) is { } text && Guid.TryParse(text, out var found) ? found : null;
        }

        var state = compose is null ? new WatchState { TaskId = target.TaskId } : FromApi(compose);
        if (task is not null)
        {
            // After the compose: a task seen ended means the compose read before it is as final as it gets.
            var (taskState, fault, _) = await task.ReadAsync(cancellationToken).ConfigureAwait(false);
            state = state with { TaskId = task.TaskId, TaskState = taskState, TaskFault = fault };
        }

        return state;
    }

    /// <summary>The API's compose status, from its <c>kojicomposer</c> fields (composer's own say less).</summary>
    internal static WatchState FromApi(JsonObject compose)
    {
        var ours = compose["kojicomposer"] as JsonObject ?? new JsonObject();
        var images = new List<WatchImage>();
        if (ours["images"] is JsonArray list)
        {
            foreach (var node in list.OfType<JsonObject>())
            {
                images.Add(new WatchImage(
                    Text(node["arch"]) ?? "?",
                    Text(node["image_type"]) ?? "?",
                    Text(node["state"]) ?? "pending",
                    Progress(node["progress"] as JsonObject),
                    WatchError.From(node["error"])));
            }
        }

        var steps = new List<WatchStepError>();
        if (WatchError.From((ours["init"] as JsonObject)?["error"]) is { } init)
        {
            steps.Add(new WatchStepError("reservation", init));
        }

        if (WatchError.From((ours["finalize"] as JsonObject)?["error"]) is { } finalize)
        {
            steps.Add(new WatchStepError("import", finalize));
        }

        return new WatchState
        {
            TaskId = Number(ours["koji_task_id"]),
            ComposeId = Text(compose["id"]) is { } id && Guid.TryParse(id, out var guid) ? guid : null,
            Nvr = Text(ours["nvr"]),
            ComposeStatus = Text(ours["state"]) ?? Text(compose["status"]),
            BuildId = Number(ours["koji_build_id"]) is { } build and not 0 ? build : null,
            Images = images,
            StepErrors = steps,
            Document = compose,
        };
    }

    private static WatchProgress? Progress(JsonObject? progress) =>
        progress is null ? null
        : new WatchProgress(
            (int)(Number(progress["done"]) ?? 0),
            (int)(Number(progress["total"]) ?? 0),
            Text(progress["stage"]),
            (int?)Number(progress["sub_done"]),
            (int?)Number(progress["sub_total"]));

    internal static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    internal static long? Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var n) ? n : null;
}
