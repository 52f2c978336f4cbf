using System.Text.Json.Nodes;
using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.Scheduler.Koji.Intake;

/// <summary>One entry of <c>opts.repo</c>: a URL, or <c>{baseurl, package_sets?}</c> (osbuildimage-task.md §2.1).</summary>
internal sealed record OptsRepo(string BaseUrl, IReadOnlyList<string> PackageSets);

/// <summary><c>opts.ostree</c> (osbuildimage-task.md §2); empty strings are null.</summary>
internal sealed record OptsOstree(string? Parent, string? Ref, string? Url);

/// <summary>
/// The task's <c>opts</c> (osbuildimage-task.md §2), checked against the hub plugin's schema: the keys it allows
/// and their types. The stock hub refuses anything else before the task exists; we check again because the task
/// may come from another hub, and because an option we silently ignored (<c>scratch</c>) would build something
/// the user did not ask for.
/// </summary>
internal sealed record OsbuildImageOptions
{
    private static readonly string[] Keys = ["customizations", "ostree", "release", "repo", "skip_tag", "upload_options"];

    /// <summary><c>opts.release</c> when truthy, else null (the hub's next release is used).</summary>
    public string? Release { get; init; }

    /// <summary><c>opts.repo</c>, in order; empty means the build tag's repo.</summary>
    public IReadOnlyList<OptsRepo> Repos { get; init; } = [];

    /// <summary><c>opts.skip_tag</c>.</summary>
    public bool SkipTag { get; init; }

    /// <summary><c>opts.ostree</c>, or null when absent or empty.</summary>
    public OptsOstree? Ostree { get; init; }

    /// <summary><c>opts.customizations</c> when truthy (non-empty), else null.</summary>
    public JsonObject? Customizations { get; init; }

    /// <summary><c>opts.upload_options</c> when truthy (non-empty), else null.</summary>
    public JsonObject? UploadOptions { get; init; }

    /// <summary>Reads and checks <paramref name="opts"/>.</summary>
    /// <exception cref="KojiTaskFailure">1019 ParameterError naming the option.</exception>
    public static OsbuildImageOptions Read(XmlRpcStruct opts)
    {
        if (opts.Keys.FirstOrDefault(k => Array.IndexOf(Keys, k) < 0) is { } key)
        {
            throw OsbuildImageArguments.Fail($"opts has the unknown option {PythonRepr.String(key)} (allowed: {string.Join(", ", Keys)})");
        }

        return new OsbuildImageOptions
        {
            Release = opts.GetValueOrDefault("release") switch
            {
                null when !opts.ContainsKey("release") => null,
                string r => r.Length > 0 ? r : null,
                var other => throw OsbuildImageArguments.Fail($"opts.release must be a string, not {OsbuildImageArguments.Describe(other)}"),
            },
            Repos = ReposOf(opts),
            SkipTag = opts.GetValueOrDefault("skip_tag") switch
            {
                null when !opts.ContainsKey("skip_tag") => false,
                bool b => b,
                var other => throw OsbuildImageArguments.Fail($"opts.skip_tag must be a boolean, not {OsbuildImageArguments.Describe(other)}"),
            },
            Ostree = OstreeOf(opts),
            Customizations = ObjectOf(opts, "customizations"),
            UploadOptions = ObjectOf(opts, "upload_options"),
        };
    }

    private static OptsRepo[] ReposOf(XmlRpcStruct opts)
    {
        if (!opts.TryGetValue("repo", out var value))
        {
            return [];
        }

        if (value is not object?[] list)
        {
            throw OsbuildImageArguments.Fail($"opts.repo must be an array of URLs and repo structs, not {OsbuildImageArguments.Describe(value)}");
        }

        var repos = new OptsRepo[list.Length];
        for (var i = 0; i < list.Length; i++)
        {
            repos[i] = list[i] switch
            {
                string url => new OptsRepo(url, []),
                XmlRpcStruct repo => RepoOf(repo, $"opts.repo[{i}]"),
                var other => throw OsbuildImageArguments.Fail($"opts.repo[{i}] must be a URL or a struct {{baseurl, package_sets}}, not {OsbuildImageArguments.Describe(other)}"),
            };
        }

        return repos;
    }

    private static OptsRepo RepoOf(XmlRpcStruct repo, string path)
    {
        if (repo.Keys.FirstOrDefault(k => k is not ("baseurl" or "package_sets")) is { } key)
        {
            throw OsbuildImageArguments.Fail($"{path} has the unknown key {PythonRepr.String(key)} (allowed: baseurl, package_sets)");
        }

        if (repo.GetValueOrDefault("baseurl") is not string baseUrl)
        {
            throw OsbuildImageArguments.Fail($"{path}.baseurl must be a string, not {OsbuildImageArguments.Describe(repo.GetValueOrDefault("baseurl"))}");
        }

        var sets = new List<string>();
        if (repo.TryGetValue("package_sets", out var value))
        {
            if (value is not object?[] list)
            {
                throw OsbuildImageArguments.Fail($"{path}.package_sets must be an array of strings, not {OsbuildImageArguments.Describe(value)}");
            }

            for (var i = 0; i < list.Length; i++)
            {
                sets.Add(list[i] as string
                    ?? throw OsbuildImageArguments.Fail($"{path}.package_sets[{i}] must be a string, not {OsbuildImageArguments.Describe(list[i])}"));
            }
        }

        return new OptsRepo(baseUrl, sets);
    }

    private static OptsOstree? OstreeOf(XmlRpcStruct opts)
    {
        if (!opts.TryGetValue("ostree", out var value))
        {
            return null;
        }

        if (value is not XmlRpcStruct ostree)
        {
            throw OsbuildImageArguments.Fail($"opts.ostree must be a struct {{parent, ref, url}}, not {OsbuildImageArguments.Describe(value)}");
        }

        if (ostree.Keys.FirstOrDefault(k => k is not ("parent" or "ref" or "url")) is { } key)
        {
            throw OsbuildImageArguments.Fail($"opts.ostree has the unknown key {PythonRepr.String(key)} (allowed: parent, ref, url)");
        }

        string? Member(string key) => ostree.GetValueOrDefault(key) switch
        {
            null when !ostree.ContainsKey(key) => null,
            string s => s.Length > 0 ? s : null,
            var other => throw OsbuildImageArguments.Fail($"opts.ostree.{key} must be a string, not {OsbuildImageArguments.Describe(other)}"),
        };

        var result = new OptsOstree(Member("parent"), Member("ref"), Member("url"));
        return result is { Parent: null, Ref: null, Url: null } ? null : result;
    }

    private static JsonObject? ObjectOf(XmlRpcStruct opts, string key)
    {
        if (!opts.TryGetValue(key, out var value))
        {
            return null;
        }

        if (value is not XmlRpcStruct members)
        {
            throw OsbuildImageArguments.Fail($"opts.{key} must be a struct, not {OsbuildImageArguments.Describe(value)}");
        }

        var json = XmlRpcJson.Object(members, $"opts.{key}");
        return json.Count > 0 ? json : null;
    }
}
