using System.Text.Json.Nodes;

namespace KojiComposer.Cli.Commands.Compose;

/// <summary>
/// A compose as the API's <c>ComposeStatus</c> tells it (README "Web front"): composer's fields, and ours under
/// <c>kojicomposer</c> (NVR, task, steps, images with arch, type, attempts, worker). Missing fields read as null, so
/// an older or newer service never crashes the CLI.
/// </summary>
internal sealed class ComposeView(JsonObject status)
{
    private readonly JsonObject _ours = status["kojicomposer"] as JsonObject ?? [];

    public JsonObject Status => status;

    public string Id => Json.Text(status["id"]) ?? "?";

    public string? Nvr => Json.Text(_ours["nvr"]);

    /// <summary>Our state (pending, running, finalizing, success, failure, canceled), else composer's status.</summary>
    public string State => Json.Text(_ours["state"]) ?? Json.Text(status["status"]) ?? "unknown";

    public bool CancelRequested => _ours["cancel_requested"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    public bool IsFinal => State is "success" or "failure" or "canceled";

    /// <summary><see cref="State"/>, or <c>canceling</c> while a requested cancel is under way.</summary>
    public string StateText => CancelRequested && !IsFinal ? "canceling" : State;

    public long? TaskId => Json.Number(_ours["koji_task_id"]);

    public long? BuildId => Json.Number(_ours["koji_build_id"]) ?? Json.Number(status["koji_status"]?["build_id"]);

    public string? KojiServer => Json.Text(_ours["koji_server"]);

    public string? Distribution => Json.Text(_ours["distribution"]);

    public string? SubmittedBy => Json.Text(_ours["submitted_by"]);

    public DateTimeOffset? CreatedAt => Json.Time(_ours["created_at"]);

    public DateTimeOffset? FinishedAt => Json.Time(_ours["finished_at"]);

    /// <summary>The reservation step (<c>CGInitBuild</c>): <c>{state, error}</c>.</summary>
    public JsonObject? Init => _ours["init"] as JsonObject;

    /// <summary>The import step (<c>CGImport</c>, or the refund): <c>{state, error}</c>.</summary>
    public JsonObject? Finalize => _ours["finalize"] as JsonObject;

    /// <summary>The images in request order, each with its composer image status beside it.</summary>
    public IReadOnlyList<ImageView> Images
    {
        get
        {
            var ours = _ours["images"] as JsonArray ?? [];
            var theirs = status["image_statuses"] as JsonArray ?? [];
            return [.. ours.OfType<JsonObject>().Select((image, i) => new ImageView(image, i < theirs.Count ? theirs[i] as JsonObject : null))];
        }
    }

    /// <summary>"NVR" or the id when the service names none.</summary>
    public string Title => Nvr ?? Id;
}

/// <summary>One image of a compose: our fields, and composer's status for it.</summary>
internal sealed record ImageView(JsonObject Ours, JsonObject? Composer)
{
    public int Index => (int)(Json.Number(Ours["index"]) ?? 0);

    public string Arch => Json.Text(Ours["arch"]) ?? "?";

    public string ImageType => Json.Text(Ours["image_type"]) ?? "?";

    public string State => Json.Text(Ours["state"]) ?? Json.Text(Composer?["status"]) ?? "unknown";

    public long Attempts => Json.Number(Ours["attempts"]) ?? 0;

    public long LostWorkers => Json.Number(Ours["lost_workers"]) ?? 0;

    public string? Worker => Json.Text(Ours["worker"]);

    /// <summary>The image's error as composer shows it (dependency errors carry the reservation's), else ours.</summary>
    public JsonObject? Error => Composer?["error"] as JsonObject ?? Ours["error"] as JsonObject;

    public JsonObject? Progress => Ours["progress"] as JsonObject;

    public JsonArray Uploads => Ours["uploads"] as JsonArray ?? [];

    /// <summary><c>0 x86_64 guest-image</c>.</summary>
    public string Label => $"{Index} {Arch} {ImageType}";
}
