using System.Text.Json.Nodes;
using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Koji.Intake;

public static partial class TaskDocuments
{
    /// <summary>koji-init.log.json (§5.4) without the token; null before the reservation ran.</summary>
    public static JsonObject? InitLog(Compose compose)
    {
        ArgumentNullException.ThrowIfNull(compose);
        if (compose.InitState is not (StepState.Success or StepState.Failure))
        {
            return null;
        }

        // composer's koji-init job result without its token: task outputs are world-readable (§10).
        var log = new JsonObject
        {
            ["build_id"] = compose.Reservation?.BuildId ?? 0,
            ["koji_error"] = "",
        };
        if (compose.InitError is { } error)
        {
            log["job_error"] = error.ToJson();
        }

        return log;
    }

    /// <summary>koji-import.log.json (§5.4); null when finalize did not run.</summary>
    public static JsonObject? ImportLog(Compose compose)
    {
        ArgumentNullException.ThrowIfNull(compose);
        if (compose.FinalizeState is not (StepState.Success or StepState.Failure))
        {
            return null;
        }

        var log = Parse(compose.FinalizeResult) as JsonObject ?? new JsonObject { ["koji_error"] = "" };
        if (compose.FinalizeError is { } error && log["job_error"] is null)
        {
            log["job_error"] = error.ToJson();
        }

        return WithoutTokens(log);
    }

    /// <summary><c>&lt;arch&gt;-&lt;type&gt;.log.json</c> (§5.4) of one image; null when it never ran.</summary>
    public static JsonObject? ImageLog(Compose compose, ComposeImage image)
    {
        ArgumentNullException.ThrowIfNull(compose);
        ArgumentNullException.ThrowIfNull(image);
        if (Parse(image.Result) is JsonObject result)
        {
            if (image.Error is { } error && result["job_error"] is null)
            {
                result["job_error"] = error.ToJson();
            }

            return WithoutTokens(result);
        }

        // A run that ended before it produced a result (the worker crashed, the manifest could not be made) still
        // gets a log saying why; an image that never reached a worker gets none.
        var ran = image.Attempts > 0 || image.StartedAt is not null;
        if (!ran || !image.State.IsFinal() || image.Error is not { } failure)
        {
            return null;
        }

        return new JsonObject
        {
            ["arch"] = image.Arch,
            ["job_error"] = failure.ToJson(),
            ["success"] = false,
            ["upload_status"] = "failure",
        };
    }

    /// <summary>Drops every <c>token</c> member: a stored result must not carry the reservation token into a
    /// world-readable task output (§10).</summary>
    private static JsonObject WithoutTokens(JsonObject json)
    {
        Strip(json);
        return json;

        static void Strip(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var key in obj.Select(p => p.Key).ToList())
                    {
                        if (string.Equals(key, "token", StringComparison.OrdinalIgnoreCase))
                        {
                            obj.Remove(key);
                        }
                        else
                        {
                            Strip(obj[key]);
                        }
                    }

                    break;
                case JsonArray array:
                    foreach (var child in array)
                    {
                        Strip(child);
                    }

                    break;
            }
        }
    }
}
