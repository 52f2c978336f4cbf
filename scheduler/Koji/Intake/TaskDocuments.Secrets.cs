using System.Text.Json.Nodes;
using KojiComposer.Contracts.Secrets;

namespace KojiComposer.Scheduler.Koji.Intake;

public static partial class TaskDocuments
{
    // Members whose value is a secret wherever they stand: user passwords (customizations.users[].password) and the
    // subscription's activation key. Task outputs are world-readable.
    private static readonly HashSet<string> SecretMembers = new(StringComparer.Ordinal) { "password", "activation_key" };

    /// <summary>
    /// compose-request.json as it is attached to the task: the request with user passwords, activation keys and the
    /// credentials of URLs (<c>https://user:pass@host</c>, as repository URLs may carry) replaced by
    /// <c>&lt;redacted&gt;</c>. The compose itself keeps the real values (the builder needs them).
    /// </summary>
    public static JsonObject ComposeRequestForTask(JsonObject request) => (JsonObject)Redact(request, null)!;

    private static JsonNode? Redact(JsonNode? node, string? member) => node switch
    {
        null => null,
        JsonObject json => new JsonObject(json.Select(p => KeyValuePair.Create(p.Key, Redact(p.Value, p.Key)))),
        JsonArray array => new JsonArray([.. array.Select(v => Redact(v, null))]),
        JsonValue value when value.TryGetValue<string>(out var text) => JsonValue.Create(
            member is not null && SecretMembers.Contains(member) && text.Length > 0 ? UrlCredentials.Mask : UrlCredentials.Redact(text)),
        _ => node.DeepClone(),
    };
}
