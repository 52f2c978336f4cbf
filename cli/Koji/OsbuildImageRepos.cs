using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.Cli.Koji;

/// <summary>
/// <c>opts.repo</c> from <c>--repo</c> and <c>--repo-package-sets</c> in command-line order, by the rules of
/// koji-osbuild's CLI plugin (plugins/cli/osbuild.py <c>parse_repo</c>, <c>parse_repo_package_set</c>;
/// osbuildimage-task.md §9): a <c>--repo</c> adds its URL as a string, or as <c>{"baseurl": URL}</c> once the
/// <em>first</em> entry is an object; <c>--repo-package-sets</c> turns the <em>last</em> entry into
/// <c>{"baseurl", "package_sets"}</c>, its sets split on <c>;</c>, stripped and merged with the entry's earlier
/// ones, de-duplicated and sorted.
/// </summary>
internal sealed class OsbuildImageRepos
{
    private readonly List<object> _entries = [];

    /// <summary>The entries so far: URL strings and repo structs.</summary>
    public IReadOnlyList<object> Entries => _entries;

    /// <summary><c>--repo URL</c>.</summary>
    public void AddRepo(string url)
    {
        if (_entries.Count > 0 && _entries[0] is XmlRpcStruct)
        {
            _entries.Add(new XmlRpcStruct { ["baseurl"] = url });
        }
        else
        {
            _entries.Add(url);
        }
    }

    /// <summary><c>--repo-package-sets "a; b"</c>.</summary>
    /// <returns>False when there is no <c>--repo</c> before it (the caller reports the usage error).</returns>
    public bool AddPackageSets(string sets)
    {
        if (_entries.Count == 0)
        {
            return false;
        }

        var last = _entries[^1] as XmlRpcStruct ?? new XmlRpcStruct { ["baseurl"] = _entries[^1] };
        var merged = new SortedSet<string>(PythonRepr.CodePointOrder);
        if (last.TryGetValue("package_sets", out var earlier) && earlier is object?[] earlierSets)
        {
            merged.UnionWith(earlierSets.OfType<string>());
        }

        merged.UnionWith(sets.Split(';').Select(PythonValues.Strip));
        last["package_sets"] = merged.Cast<object?>().ToArray();
        _entries[^1] = last;
        return true;
    }
}
