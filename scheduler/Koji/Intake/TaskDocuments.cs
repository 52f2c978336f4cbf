using System.Text.Json.Nodes;
using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Koji.Intake;

/// <summary>
/// The task attachments of an <c>osbuildImage</c> task (osbuildimage-task.md §5, §6): their names and their
/// content, from the stored compose. Written like Python's <c>json.dump(indent=4, sort_keys=True)</c>
/// (<see cref="PythonJson"/>). Never the reservation token.
/// </summary>
public static class TaskDocuments
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
    public static JsonObject ComposeStatus(Compose compose) => throw new NotImplementedException();

    /// <summary>koji-init.log.json (§5.4) without the token; null before the reservation ran.</summary>
    public static JsonObject? InitLog(Compose compose) => throw new NotImplementedException();

    /// <summary>koji-import.log.json (§5.4); null when finalize did not run.</summary>
    public static JsonObject? ImportLog(Compose compose) => throw new NotImplementedException();

    /// <summary><c>&lt;arch&gt;-&lt;type&gt;.log.json</c> (§5.4) of one image; null when it never ran.</summary>
    public static JsonObject? ImageLog(Compose compose, ComposeImage image) => throw new NotImplementedException();

    /// <summary>The manifest of one image as JSON, or null when none was made.</summary>
    public static JsonNode? Manifest(ComposeImage image) => throw new NotImplementedException();

    /// <summary>
    /// The task fault text for a failed compose: <c>Compose failed (id: U)</c> followed by what failed, e.g.
    /// <c>Compose failed (id: U): x86_64 guest-image: stage org.osbuild.rpm failed: &lt;first lines of its
    /// output&gt;</c>, or the reservation's or import's error.
    /// </summary>
    public static string FailureMessage(Compose compose) => throw new NotImplementedException();
}

/// <summary>JSON text as Python's <c>json.dumps(value, indent=4, sort_keys=True)</c> writes it (4-space indent, keys
/// sorted by code point, <c>", "</c>/<c>": "</c> separators as Python 3 with indent, non-ASCII as <c>\uXXXX</c>
/// (surrogate pairs for astral characters), no trailing newline).</summary>
public static class PythonJson
{
    /// <summary>The text of <paramref name="value"/>.</summary>
    public static string Serialize(JsonNode? value) => throw new NotImplementedException();
}
