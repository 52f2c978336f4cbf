using System.Text.Json.Nodes;

namespace KojiComposer.Builder.Manifests;

internal static partial class Blueprint
{
    private static readonly string[] UserKeys =
    [
        "name", "description", "password", "key", "home", "shell", "groups", "uid", "gid", "expiredate", "force_password_reset",
    ];

    // Composer's custom repository keys → the blueprint's (RepositoryCustomization).
    private static readonly Dictionary<string, string> CustomRepositoryKeys = new(StringComparer.Ordinal)
    {
        ["id"] = "id", ["name"] = "name", ["baseurl"] = "baseurls", ["mirrorlist"] = "mirrorlist", ["metalink"] = "metalink",
        ["gpgkey"] = "gpgkeys", ["check_gpg"] = "gpgcheck", ["check_repo_gpg"] = "repo_gpgcheck", ["enabled"] = "enabled",
        ["priority"] = "priority", ["ssl_verify"] = "sslverify", ["module_hotfixes"] = "module_hotfixes", ["filename"] = "filename",
    };

    private static readonly string[] PayloadRepositoryKeys =
        ["baseurl", "mirrorlist", "metalink", "gpgkey", "check_gpg", "check_repo_gpg", "ignore_ssl", "rhsm", "module_hotfixes", "package_sets"];

    private static JsonArray List(JsonNode value, string key) =>
        value as JsonArray ?? throw ManifestErrors.BadArguments($"customizations: \"{key}\" must be a list");

    /// <summary>A clone of a list of objects that carry only <paramref name="allowed"/> keys.</summary>
    private static JsonArray ObjectList(JsonNode value, string key, string[] allowed)
    {
        var result = new JsonArray();
        foreach (var item in List(value, key))
        {
            if (item is not JsonObject entry)
            {
                throw ManifestErrors.BadArguments($"customizations: \"{key}\" must be a list of objects");
            }

            foreach (var (field, _) in entry)
            {
                if (!allowed.Contains(field, StringComparer.Ordinal))
                {
                    throw ManifestErrors.BadArguments($"customizations: \"{key}\": \"{field}\" is not a known key");
                }
            }

            result.Add(entry.DeepClone());
        }

        return result;
    }

    private static JsonArray Users(JsonNode value, Secrets secrets)
    {
        var users = ObjectList(value, "users", UserKeys);
        foreach (var user in users)
        {
            secrets.Add(StringOf(user!["password"]));
            secrets.Add(StringOf(user["key"]));
        }

        return users;
    }

    private static JsonArray CustomRepositories(JsonNode value)
    {
        var result = new JsonArray();
        foreach (var item in ObjectList(value, "custom_repositories", [.. CustomRepositoryKeys.Keys]))
        {
            var repository = new JsonObject();
            foreach (var (field, fieldValue) in item!.AsObject())
            {
                var target = CustomRepositoryKeys[field];
                // Blueprints take lists of base URLs and keys; composer allows one string or a list.
                repository[target] = target is "baseurls" or "gpgkeys" && fieldValue is JsonValue
                    ? new JsonArray(fieldValue.DeepClone())
                    : fieldValue?.DeepClone();
            }

            result.Add(repository);
        }

        return result;
    }

    /// <summary>Payload repositories (composer: repositories only the image's own packages come from) become
    /// blueprint repositories with <c>install_from</c>, which osbuild/images adds to the payload package sets.</summary>
    private static JsonArray PayloadRepositories(JsonNode value)
    {
        var result = new JsonArray();
        var position = 0;
        foreach (var item in ObjectList(value, "payload_repositories", PayloadRepositoryKeys))
        {
            position++;
            var source = item!.AsObject();
            if (source["rhsm"] is JsonValue rhsm && rhsm.TryGetValue<bool>(out var usesRhsm) && usesRhsm)
            {
                throw ManifestErrors.BadArguments($"customizations: \"payload_repositories\" {position}: \"rhsm\" repositories are not supported by the image-builder manifest generator");
            }

            if (source["package_sets"] is not null)
            {
                throw ManifestErrors.BadArguments($"customizations: \"payload_repositories\" {position}: \"package_sets\" does not apply to payload repositories");
            }

            var repository = new JsonObject { ["id"] = $"payload-{position}", ["install_from"] = true };
            Copy(source, "baseurl", repository, "baseurls", asList: true);
            Copy(source, "mirrorlist", repository, "mirrorlist");
            Copy(source, "metalink", repository, "metalink");
            Copy(source, "gpgkey", repository, "gpgkeys", asList: true);
            Copy(source, "check_gpg", repository, "gpgcheck");
            Copy(source, "check_repo_gpg", repository, "repo_gpgcheck");
            Copy(source, "module_hotfixes", repository, "module_hotfixes");
            if (source["ignore_ssl"] is JsonValue ignore && ignore.TryGetValue<bool>(out var ignoreSsl))
            {
                repository["sslverify"] = !ignoreSsl;
            }

            result.Add(repository);
        }

        return result;
    }

    private static void Copy(JsonObject source, string from, JsonObject target, string to, bool asList = false)
    {
        if (source[from] is { } value)
        {
            target[to] = asList && value is JsonValue ? new JsonArray(value.DeepClone()) : value.DeepClone();
        }
    }

    private static string? StringOf(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static void CollectSecrets(string key, JsonNode value, Secrets secrets)
    {
        // Pattern matching, not indexers: a wrong shape ("ignition": "x") is image-builder's to reject with its own
        // message, and JsonNode's indexer would throw InvalidOperationException on it instead.
        if (key == "ignition" && value is JsonObject { } ignition && ignition["embedded"] is JsonObject embedded)
        {
            secrets.Add(StringOf(embedded["config"]));
        }
    }
}
