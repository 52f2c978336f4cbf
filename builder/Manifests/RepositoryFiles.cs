using System.Text.Json;
using System.Text.Json.Nodes;

namespace KojiComposer.Builder.Manifests;

/// <summary>
/// Writes an image request's <c>repositories</c> (composer's shape, composer-api.md §3) as the repository file
/// image-builder's <c>--force-repo-dir</c> reads: <c>&lt;dir&gt;/&lt;distro&gt;.json</c> =
/// <c>{"&lt;arch&gt;": [repo, …]}</c>, each repo with osbuild/images' file keys (<c>pkg/rpmmd/repository.go</c>:
/// <c>name</c>, <c>baseurl</c>, <c>metalink</c>, <c>mirrorlist</c>, <c>gpgkey</c>/<c>gpgkeys</c>,
/// <c>check_gpg</c>, <c>rhsm</c>, <c>module_hotfixes</c>, <c>metadata_expire</c>, <c>package_sets</c>).
/// A repository with <c>package_sets</c> serves only those package sets (images' generic image type), as in
/// composer.
/// </summary>
internal static class RepositoryFiles
{
    private static readonly string[] KnownKeys =
    [
        "id", "name", "baseurl", "metalink", "mirrorlist", "gpgkey", "gpgkeys", "check_gpg", "check_repo_gpg",
        "ignore_ssl", "rhsm", "module_hotfixes", "metadata_expire", "package_sets",
    ];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The repo file's content for <paramref name="repositories"/> on <paramref name="arch"/>.</summary>
    /// <exception cref="Contracts.Errors.ComposeStepException">Error 29: a repository the file cannot express.</exception>
    public static JsonObject Content(JsonArray repositories, string arch)
    {
        var list = new JsonArray();
        for (var i = 0; i < repositories.Count; i++)
        {
            list.Add(Entry(repositories[i], i + 1));
        }

        return new JsonObject { [arch] = list };
    }

    /// <summary>Writes <c>&lt;directory&gt;/&lt;distribution&gt;.json</c> and returns its path.</summary>
    public static async Task<string> WriteAsync(string directory, string distribution, JsonObject content, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, distribution + ".json");
        await File.WriteAllTextAsync(path, content.ToJsonString(Indented), cancellationToken).ConfigureAwait(false);
        return path;
    }

    private static JsonObject Entry(JsonNode? node, int position)
    {
        var where = $"repositories {position}";
        if (node is not JsonObject repository)
        {
            throw ManifestErrors.BadArguments($"{where}: must be an object");
        }

        foreach (var (key, _) in repository)
        {
            if (!KnownKeys.Contains(key, StringComparer.Ordinal))
            {
                throw ManifestErrors.BadArguments($"{where}: \"{key}\" is not a repository key");
            }
        }

        // image-builder's repository files have no key for these; refusing beats building with weaker checks.
        Refuse(repository, "check_repo_gpg", where, "repository metadata signature checks");
        Refuse(repository, "ignore_ssl", where, "skipping TLS verification");

        var entry = new JsonObject { ["name"] = Text(repository, "name", where) ?? Text(repository, "id", where) ?? $"repo-{position}" };
        // One source per repository, in composer's precedence: baseurl, mirrorlist, metalink.
        if (Text(repository, "baseurl", where) is { } baseurl)
        {
            entry["baseurl"] = baseurl;
        }
        else if (Text(repository, "mirrorlist", where) is { } mirrorlist)
        {
            entry["mirrorlist"] = mirrorlist;
        }
        else if (Text(repository, "metalink", where) is { } metalink)
        {
            entry["metalink"] = metalink;
        }
        else
        {
            throw ManifestErrors.BadArguments($"{where}: needs one of \"baseurl\", \"mirrorlist\" or \"metalink\"");
        }

        var keys = Keys(repository, where);
        if (keys.Count > 0)
        {
            entry["gpgkeys"] = new JsonArray([.. keys.Select(k => (JsonNode)k)]);
        }

        if (Flag(repository, "check_gpg", where) is { } checkGpg)
        {
            if (checkGpg && keys.Count == 0)
            {
                throw ManifestErrors.BadArguments($"{where}: \"check_gpg\" is true but no \"gpgkey\" is given");
            }

            entry["check_gpg"] = checkGpg;
        }

        if (Flag(repository, "rhsm", where) is true)
        {
            entry["rhsm"] = true;
        }

        if (Flag(repository, "module_hotfixes", where) is { } hotfixes)
        {
            entry["module_hotfixes"] = hotfixes;
        }

        if (Text(repository, "metadata_expire", where) is { } expire)
        {
            entry["metadata_expire"] = expire;
        }

        if (repository["package_sets"] is { } sets)
        {
            entry["package_sets"] = PackageSets(sets, where);
        }

        return entry;
    }

    private static void Refuse(JsonObject repository, string key, string where, string what)
    {
        if (Flag(repository, key, where) is true)
        {
            throw ManifestErrors.BadArguments($"{where}: \"{key}\" ({what}) is not supported by the image-builder manifest generator");
        }
    }

    private static List<string> Keys(JsonObject repository, string where)
    {
        var keys = new List<string>();
        if (Text(repository, "gpgkey", where) is { } key)
        {
            keys.Add(key);
        }

        if (repository["gpgkeys"] is { } list)
        {
            keys.AddRange(Strings(list, "gpgkeys", where));
        }

        return keys;
    }

    private static JsonArray PackageSets(JsonNode sets, string where)
    {
        var names = Strings(sets, "package_sets", where);
        return names.Count > 0
            ? new JsonArray([.. names.Select(n => (JsonNode)n)])
            : throw ManifestErrors.BadArguments($"{where}: \"package_sets\" must name at least one package set");
    }

    private static List<string> Strings(JsonNode node, string key, string where) =>
        node is JsonArray array && array.All(i => i is JsonValue v && v.TryGetValue<string>(out _))
            ? [.. array.Select(i => i!.GetValue<string>())]
            : throw ManifestErrors.BadArguments($"{where}: \"{key}\" must be a list of strings");

    private static string? Text(JsonObject repository, string key, string where) => repository[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var text) => text.Length > 0 ? text : null,
        _ => throw ManifestErrors.BadArguments($"{where}: \"{key}\" must be a string"),
    };

    private static bool? Flag(JsonObject repository, string key, string where) => repository[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<bool>(out var flag) => flag,
        _ => throw ManifestErrors.BadArguments($"{where}: \"{key}\" must be true or false"),
    };
}
