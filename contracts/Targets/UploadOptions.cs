using System.Text.Json;
using System.Text.Json.Nodes;

namespace KojiComposer.Contracts.Targets;

/// <summary>
/// A task's <c>upload_options</c> decoded as its target's own shape (osbuildimage-task.md §2.2, cloud-targets.md
/// §2–§7): fields of other shapes are ignored, a required field missing or of the wrong type is a problem that names
/// it. The scheduler checks options with <see cref="Parse"/> when a compose is made; the builder decodes them again.
/// Options never hold credentials.
/// </summary>
public abstract record UploadOptions
{
    /// <summary>Decodes <paramref name="json"/> as the options of target <paramref name="type"/>.</summary>
    /// <returns>The options, or the problem (e.g. <c>upload_options for target aws: "region" is required and
    /// must be a non-empty string</c>).</returns>
    public static (UploadOptions? Options, string? Problem) Parse(string type, JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var reader = new Reader(type, json);
        UploadOptions? options = type switch
        {
            UploadTargetTypes.Aws => new AwsEc2UploadOptions(
                reader.Required("region"), reader.StringList("share_with_accounts", required: false), reader.Optional("snapshot_name")),
            UploadTargetTypes.AwsS3 => new AwsS3UploadOptions(reader.Required("region"), reader.Boolean("public")),
            UploadTargetTypes.Gcp => new GcpUploadOptions(
                reader.Required("region"), reader.Optional("bucket"), reader.Optional("image_name"), reader.StringList("share_with_accounts", required: false)),
            UploadTargetTypes.Azure => new AzureUploadOptions(
                reader.Required("tenant_id"), reader.Required("subscription_id"), reader.Required("resource_group"),
                reader.Optional("location"), reader.Optional("image_name"), reader.Choice("hyper_v_generation", "V1", "V1", "V2")),
            UploadTargetTypes.Container => new ContainerUploadOptions(reader.Optional("name"), reader.Optional("tag")),
            UploadTargetTypes.OciObjectStorage => new OciUploadOptions(),
            _ => null,
        };
        // Azure Resource Manager addresses subscriptions by GUID only: say so now rather than after the build.
        if (options is AzureUploadOptions { SubscriptionId: { Length: > 0 } subscription } && !Guid.TryParse(subscription, out _))
        {
            reader.Problems.Add($"\"subscription_id\" must be a subscription GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx), got \"{subscription}\"");
        }

        // EC2's AMI name rule (3 to 128 of letters, digits and ( ) [ ] space . / - ' @ _): a bad snapshot_name would
        // otherwise fail RegisterImage only after the whole import.
        if (options is AwsEc2UploadOptions { SnapshotName: { } name } && !IsAmiName(name))
        {
            reader.Problems.Add($"\"snapshot_name\" must be 3 to 128 letters, digits, spaces and ( ) [ ] . / - ' @ _ (EC2's rule for image names), got \"{name}\"");
        }

        if (options is null)
        {
            return (null, $"{type} is not an upload target (known: {string.Join(", ", UploadTargetTypes.Cloud)})");
        }

        return reader.Problems.Count == 0 ? (options, null) : (null, $"upload_options for target {type}: {string.Join("; ", reader.Problems)}");
    }

    private static bool IsAmiName(string name) =>
        name.Length is >= 3 and <= 128 && name.All(c => char.IsAsciiLetterOrDigit(c) || "()[] ./-'@_".Contains(c, StringComparison.Ordinal));

    private sealed class Reader(string type, JsonObject json)
    {
        public List<string> Problems { get; } = [];

        public string Required(string key)
        {
            if (json[key] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } text)
            {
                return text;
            }

            Problems.Add($"\"{key}\" is required and must be a non-empty string");
            return "";
        }

        public string? Optional(string key)
        {
            switch (json[key])
            {
                case null:
                    return null;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    var text = value.GetValue<string>();
                    return text.Length == 0 ? null : text;
                default:
                    Problems.Add($"\"{key}\" must be a string");
                    return null;
            }
        }

        public bool Boolean(string key)
        {
            switch (json[key])
            {
                case null:
                    return false;
                case JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                    return value.GetValue<bool>();
                default:
                    Problems.Add($"\"{key}\" must be true or false");
                    return false;
            }
        }

        public string Choice(string key, string defaultValue, params string[] choices)
        {
            var text = Optional(key);
            if (text is null)
            {
                return defaultValue;
            }

            if (!choices.Contains(text, StringComparer.Ordinal))
            {
                Problems.Add($"\"{key}\" must be one of {string.Join(", ", choices.Select(c => $"\"{c}\""))}, got \"{text}\"");
                return defaultValue;
            }

            return text;
        }

        public IReadOnlyList<string> StringList(string key, bool required)
        {
            switch (json[key])
            {
                case null when required:
                    Problems.Add($"\"{key}\" is required (a list of strings, may be empty)");
                    return [];
                case null:
                    return [];
                case JsonArray array when array.All(i => i is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length > 0):
                    return [.. array.Select(i => i!.GetValue<string>())];
                default:
                    Problems.Add($"\"{key}\" must be a list of non-empty strings");
                    return [];
            }
        }

        public override string ToString() => type;
    }
}

/// <summary><c>aws</c>: <c>{"region", "share_with_accounts", "snapshot_name"?}</c>. The hub lets <c>{"region"}</c> through (it
/// validates as the S3 shape) and composer then shares with nobody: so do we.</summary>
public sealed record AwsEc2UploadOptions(string Region, IReadOnlyList<string> ShareWithAccounts, string? SnapshotName) : UploadOptions;

/// <summary><c>aws.s3</c>: <c>{"region", "public"?}</c> (the hub rejects <c>public</c>; composer's API has it).</summary>
public sealed record AwsS3UploadOptions(string Region, bool Public) : UploadOptions;

/// <summary><c>gcp</c>: <c>{"region", "bucket"?, "image_name"?, "share_with_accounts"?}</c>.</summary>
public sealed record GcpUploadOptions(string Region, string? Bucket, string? ImageName, IReadOnlyList<string> ShareWithAccounts) : UploadOptions;

/// <summary><c>azure</c>: <c>{"tenant_id", "subscription_id", "resource_group", "location"?, "image_name"?,
/// "hyper_v_generation"?}</c> (generation V1 unless composer's API asks for V2).</summary>
public sealed record AzureUploadOptions(
    string TenantId, string SubscriptionId, string ResourceGroup, string? Location, string? ImageName, string HyperVGeneration) : UploadOptions;

/// <summary><c>container</c>: <c>{"name"?, "tag"?}</c>; the tag counts only with a name.</summary>
public sealed record ContainerUploadOptions(string? Name, string? Tag) : UploadOptions;

/// <summary><c>oci.objectstorage</c>: no options.</summary>
public sealed record OciUploadOptions : UploadOptions;
