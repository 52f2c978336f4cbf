using System.Text.Json;
using System.Text.Json.Nodes;
using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Web.Api;

/// <summary><c>/logs</c> and <c>/manifests</c> (composer-api.md §2, §4.1) from the stored results.</summary>
internal static class ComposeLogsJson
{
    /// <summary><c>{"href","id","kind":"ComposeLogs","image_builds":[...],"koji":{"init","import"}}</c>. The
    /// reservation token is a secret of the import: <c>koji.init.token</c> is always <c>""</c>, and any
    /// <c>token</c> property in the stored results is blanked too.</summary>
    public static JsonObject Logs(Compose compose)
    {
        var init = new JsonObject
        {
            ["build_id"] = compose.Reservation?.BuildId ?? 0,
            ["token"] = "",
            ["koji_error"] = "",
        };
        if (compose.InitError is { } initError)
        {
            init["job_error"] = initError.ToJson();
        }

        var import = ParseObject(compose.FinalizeResult) ?? new JsonObject { ["koji_error"] = "" };
        if (compose.FinalizeError is { } finalizeError && import["job_error"] is null)
        {
            import["job_error"] = finalizeError.ToJson();
        }

        var builds = new JsonArray(compose.Images.Select(i => ParseObject(i.Result) ?? new JsonObject()).Cast<JsonNode>().ToArray());
        var logs = new JsonObject
        {
            ["href"] = $"{ComposerErrors.BasePath}/composes/{compose.Id}/logs",
            ["id"] = compose.Id.ToString(),
            ["kind"] = "ComposeLogs",
            ["image_builds"] = builds,
            ["koji"] = new JsonObject { ["init"] = init, ["import"] = RedactTokens(import) },
        };
        foreach (var build in builds)
        {
            RedactTokens(build!);
        }

        return logs;
    }

    /// <summary><c>{"href","id","kind":"ComposeManifests","manifests":[...]}</c> in image-request order; an image
    /// without a manifest (not built yet) has <c>{}</c>.</summary>
    public static JsonObject Manifests(Compose compose) => new()
    {
        ["href"] = $"{ComposerErrors.BasePath}/composes/{compose.Id}/manifests",
        ["id"] = compose.Id.ToString(),
        ["kind"] = "ComposeManifests",
        ["manifests"] = new JsonArray(compose.Images.OrderBy(i => i.Index).Select(i => ParseObject(i.Manifest) ?? new JsonObject()).Cast<JsonNode>().ToArray()),
    };

    private static JsonObject? ParseObject(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonNode RedactTokens(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    if (string.Equals(key, "token", StringComparison.OrdinalIgnoreCase))
                    {
                        obj[key] = "";
                    }
                    else if (obj[key] is { } child)
                    {
                        RedactTokens(child);
                    }
                }

                break;
            case JsonArray array:
                foreach (var child in array.OfType<JsonNode>())
                {
                    RedactTokens(child);
                }

                break;
        }

        return node;
    }
}
