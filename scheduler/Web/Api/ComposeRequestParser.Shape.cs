using System.Text.Json.Nodes;
using System.Text.Json;
using KojiComposer.Contracts.Targets;

namespace KojiComposer.Scheduler.Web.Api;

internal static partial class ComposeRequestParser
{
    /// <summary>What composer's OpenAPI validation refuses (error 30): missing required fields, wrong types,
    /// unknown keys in <c>koji</c> and image requests.</summary>
    private static void CheckShape(JsonObject root, List<string> problems)
    {
        foreach (var key in root.Select(p => p.Key).Where(k => !TopLevelKeys.Contains(k)))
        {
            problems.Add($"unknown property \"{key}\"");
        }

        RequireString(root, "distribution", "", problems);
        if (root["koji"] is not JsonObject koji)
        {
            problems.Add("\"koji\" is required and must be an object {server, task_id, name, version, release}");
        }
        else
        {
            foreach (var key in koji.Select(p => p.Key).Where(k => !KojiKeys.Contains(k)))
            {
                problems.Add($"unknown property \"koji.{key}\"");
            }

            if (RequireString(koji, "server", "koji.", problems) is { } server
                && (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
            {
                problems.Add("\"koji.server\" must be an http(s) URI");
            }

            if (koji["task_id"] is not JsonValue taskId || taskId.GetValueKind() != JsonValueKind.Number || !taskId.TryGetValue<long>(out var id) || id < 0)
            {
                problems.Add("\"koji.task_id\" is required and must be an integer >= 0");
            }

            RequireString(koji, "name", "koji.", problems);
            RequireString(koji, "version", "koji.", problems);
            RequireString(koji, "release", "koji.", problems);
        }

        if (root["image_request"] is { } single)
        {
            CheckImageRequestShape(single, "image_request", problems);
        }

        if (root["image_requests"] is { } many)
        {
            if (many is not JsonArray array)
            {
                problems.Add("\"image_requests\" must be an array");
            }
            else
            {
                for (var i = 0; i < array.Count; i++)
                {
                    CheckImageRequestShape(array[i], $"image_requests[{i}]", problems);
                }
            }
        }

        if (root["customizations"] is { } customizations && customizations is not JsonObject)
        {
            problems.Add("\"customizations\" must be an object");
        }
    }

    private static void CheckImageRequestShape(JsonNode? node, string where, List<string> problems)
    {
        if (node is not JsonObject request)
        {
            problems.Add($"\"{where}\" must be an object");
            return;
        }

        foreach (var key in request.Select(p => p.Key).Where(k => !ImageRequestKeys.Contains(k)))
        {
            problems.Add($"unknown property \"{where}.{key}\"");
        }

        RequireString(request, "architecture", where + ".", problems);
        RequireString(request, "image_type", where + ".", problems);
        if (request["repositories"] is not JsonArray repositories)
        {
            problems.Add($"\"{where}.repositories\" is required and must be an array");
        }
        else if (repositories.Any(r => r is not JsonObject))
        {
            problems.Add($"\"{where}.repositories\" must hold objects");
        }

        if (request["ostree"] is { } ostree && ostree is not JsonObject)
        {
            problems.Add($"\"{where}.ostree\" must be an object");
        }

        if (request["upload_options"] is { } options && options is not JsonObject)
        {
            problems.Add($"\"{where}.upload_options\" must be an object");
        }

        if (request["upload_targets"] is { } targets && (targets is not JsonArray list || list.Any(t => t is not JsonObject o || o["type"]?.GetValueKind() != JsonValueKind.String)))
        {
            problems.Add($"\"{where}.upload_targets\" must be an array of objects with a string \"type\"");
        }
    }

    private static string? RequireString(JsonObject parent, string key, string prefix, List<string> problems)
    {
        if (parent[key] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } text)
        {
            return text;
        }

        problems.Add($"\"{prefix}{key}\" is required and must be a non-empty string");
        return null;
    }

    /// <summary>Composer's per-image rules after the shape check.</summary>
    private static (int Id, string Details)? CheckImageRequest(JsonObject request, int index)
    {
        var arch = request["architecture"]!.GetValue<string>();
        if (!Architectures.Contains(arch))
        {
            return (ComposerErrors.UnsupportedArchitecture, $"image request {index}: {arch}");
        }

        var imageType = request["image_type"]!.GetValue<string>();
        if (!ImageTypes.Contains(imageType))
        {
            return (ComposerErrors.UnsupportedImageType, $"image request {index}: {imageType}");
        }

        foreach (var repository in request["repositories"]!.AsArray().Cast<JsonObject>())
        {
            if (!HasText(repository, "baseurl") && !HasText(repository, "mirrorlist") && !HasText(repository, "metalink"))
            {
                return (ComposerErrors.NoBaseUrlInPayloadRepository, $"image request {index}");
            }

            if (repository["check_gpg"] is JsonValue checkGpg && checkGpg.GetValueKind() == JsonValueKind.True && !HasText(repository, "gpgkey"))
            {
                return (ComposerErrors.NoGpgKey, $"image request {index}");
            }
        }

        if (request["ostree"] is JsonObject ostree && HasText(ostree, "contenturl") && !HasText(ostree, "url"))
        {
            return (ComposerErrors.InvalidOstreeParams, $"image request {index}: contenturl requires url");
        }

        // Upload options are checked as their target's own shape now (cloud-targets.md §1), so that a task whose
        // options cannot work is refused at once rather than failing each image after its build.
        if (request["upload_targets"] is JsonArray targets)
        {
            var allowed = UploadTargetTypes.DefaultFor(imageType);
            foreach (var target in targets.Cast<JsonObject>())
            {
                var type = target["type"]!.GetValue<string>();
                if (string.Equals(type, UploadTargetTypes.Koji, StringComparison.Ordinal))
                {
                    continue;
                }

                if (!string.Equals(type, allowed, StringComparison.Ordinal) && !string.Equals(type, UploadTargetTypes.AwsS3, StringComparison.Ordinal))
                {
                    return (ComposerErrors.InvalidUploadTarget, $"image request {index}: {type} for {imageType}");
                }

                if (UploadOptions.Parse(type, target["upload_options"] as JsonObject ?? []).Problem is { } problem)
                {
                    return (ComposerErrors.InvalidUploadTarget, $"image request {index}: {problem}");
                }
            }
        }
        else if (request["upload_options"] is JsonObject options)
        {
            var type = UploadTargetTypes.DefaultFor(imageType);
            if (string.Equals(type, UploadTargetTypes.OciObjectStorage, StringComparison.Ordinal))
            {
                // The builder has no OCI target (builder/Targets/Oci): refuse now, not after the build.
                return (ComposerErrors.InvalidUploadTarget, $"image request {index}: uploads to OCI object storage (image type {imageType}) are not supported; build it without upload_options and take it from Koji");
            }

            if (UploadOptions.Parse(type, options).Problem is { } problem)
            {
                return (ComposerErrors.InvalidUploadTarget, $"image request {index}: {problem}");
            }
        }

        return null;
    }

    private static bool HasText(JsonObject parent, string key) =>
        parent[key] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length > 0;
}
