using System.Text.Json.Nodes;

namespace KojiComposer.Builder.Manifests;

/// <summary>
/// Turns a compose's <c>customizations</c> (composer's Cloud API shape, composer-api.md §3; Koji passes
/// <c>opts.customizations</c> through verbatim, osbuildimage-task.md §2) into an image-builder blueprint
/// (osbuild/blueprint <c>pkg/blueprint</c>: top-level <c>packages</c>, <c>enabled_modules</c>, <c>containers</c>, the
/// rest under <c>customizations</c>). Every key is handled or rejected with error 29 naming it; nothing is dropped.
/// </summary>
internal static partial class Blueprint
{
    // Keys whose composer shape is the blueprint's shape, under the same name.
    private static readonly string[] SameShape =
    [
        "hostname", "kernel", "services", "timezone", "locale", "firewall", "files", "directories", "partitioning_mode",
        "installation_device", "openscap", "cacerts", "rpm", "rhsm", "installer", "disk", "dnf", "ignition", "fdo",
    ];

    /// <summary>The blueprint for <paramref name="customizations"/> (null: an empty blueprint), named
    /// <paramref name="name"/>; the secrets it holds are added to <paramref name="secrets"/>.</summary>
    /// <exception cref="Contracts.Errors.ComposeStepException">Error 29: a key is unknown or has a wrong shape.</exception>
    public static JsonObject From(JsonObject? customizations, string name, Secrets secrets)
    {
        var blueprint = new JsonObject { ["name"] = name, ["version"] = "0.0.1" };
        var custom = new JsonObject();
        foreach (var (key, value) in customizations ?? [])
        {
            if (value is null)
            {
                continue;
            }

            if (SameShape.Contains(key, StringComparer.Ordinal))
            {
                CollectSecrets(key, value, secrets);
                custom[key] = value.DeepClone();
                continue;
            }

            switch (key)
            {
                case "packages":
                    blueprint["packages"] = Packages(value);
                    break;
                case "enabled_modules":
                    blueprint["enabled_modules"] = ObjectList(value, key, ["name", "stream"]);
                    break;
                case "containers":
                    blueprint["containers"] = ObjectList(value, key, ["source", "name", "tls_verify", "local_storage"]);
                    break;
                case "users":
                    custom["user"] = Users(value, secrets);
                    break;
                case "groups":
                    custom["group"] = ObjectList(value, key, ["name", "gid"]);
                    break;
                case "filesystem":
                    custom["filesystem"] = Filesystems(value);
                    break;
                case "fips":
                    custom["fips"] = Fips(value);
                    break;
                case "custom_repositories":
                    AddRepositories(custom, CustomRepositories(value));
                    break;
                case "payload_repositories":
                    AddRepositories(custom, PayloadRepositories(value));
                    break;
                case "subscription":
                    throw ManifestErrors.BadArguments(
                        "customizations: \"subscription\" is not supported by the image-builder manifest generator " +
                        "(its blueprints have no subscription; register the image with an external generator)");
                default:
                    throw ManifestErrors.BadArguments($"customizations: \"{key}\" is not a known customization");
            }
        }

        if (custom.Count > 0)
        {
            blueprint["customizations"] = custom;
        }

        return blueprint;
    }

    private static JsonArray Packages(JsonNode value)
    {
        var packages = new JsonArray();
        foreach (var item in List(value, "packages"))
        {
            packages.Add(item is JsonValue v && v.TryGetValue<string>(out var name) && name.Length > 0
                ? new JsonObject { ["name"] = name }
                : throw ManifestErrors.BadArguments("customizations: \"packages\" must be a list of package names"));
        }

        return packages;
    }

    private static JsonArray Filesystems(JsonNode value)
    {
        var result = new JsonArray();
        foreach (var item in ObjectList(value, "filesystem", ["mountpoint", "min_size", "minsize"]))
        {
            var filesystem = item!.AsObject();
            if (filesystem["min_size"] is { } size)
            {
                // Composer says min_size, blueprints say minsize.
                filesystem.Remove("min_size");
                filesystem["minsize"] = size;
            }

            result.Add(filesystem.DeepClone());
        }

        return result;
    }

    private static JsonValue Fips(JsonNode value) => value switch
    {
        JsonValue v when v.TryGetValue<bool>(out var enabled) => JsonValue.Create(enabled),
        JsonObject { Count: 1 } o when o["enabled"] is JsonValue e && e.TryGetValue<bool>(out var enabled) => JsonValue.Create(enabled),
        _ => throw ManifestErrors.BadArguments("customizations: \"fips\" must be {\"enabled\": true|false}"),
    };

    private static void AddRepositories(JsonObject custom, JsonArray repositories)
    {
        var all = custom["repositories"] as JsonArray ?? [];
        foreach (var repository in repositories.ToList())
        {
            repositories.Remove(repository);
            all.Add(repository);
        }

        custom["repositories"] = all;
    }
}
