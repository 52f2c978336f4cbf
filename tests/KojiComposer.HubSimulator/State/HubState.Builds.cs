using System.Security.Cryptography;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.Python;

namespace KojiComposer.HubSimulator.State;

/// <summary>Packages, builds with their CG reservations, archives, content generators, btypes and archive types.</summary>
public sealed partial class HubState
{
    /// <summary>Package names by id (<c>package</c>).</summary>
    public Dictionary<long, string> Packages { get; } = [];

    public Dictionary<long, SimBuild> Builds { get; } = [];

    public Dictionary<long, SimArchive> Archives { get; } = [];

    /// <summary>
    /// Content generators by name (<c>content_generator</c>). <c>osbuild</c> exists, as after
    /// <c>koji grant-cg-access &lt;user&gt; osbuild --new</c> (cg-import.md §1).
    /// </summary>
    public Dictionary<string, long> ContentGeneratorIds { get; } = new(StringComparer.Ordinal) { ["osbuild"] = 1 };

    /// <summary>Build types by name (<c>btype</c>; ids as on a hub created from the current schema).</summary>
    public Dictionary<string, long> Btypes { get; } = new(StringComparer.Ordinal)
    {
        ["rpm"] = 1,
        ["maven"] = 2,
        ["win"] = 3,
        ["image"] = 4,
    };

    /// <summary>The hub's archive types (<c>archivetypes</c>), set from the options at start.</summary>
    public List<ArchiveType> ArchiveTypes { get; } = [];

    /// <summary>Buildroot ids handed out by CG imports (<c>buildroot</c>).</summary>
    public long NextBuildrootId() => Sequence("buildroot");

    /// <summary>The id of a package, creating it when asked (koji <c>new_package</c>).</summary>
    public long? PackageId(string name, bool create = false)
    {
        foreach (var (id, n) in Packages)
        {
            if (string.Equals(n, name, StringComparison.Ordinal))
            {
                return id;
            }
        }

        if (!create)
        {
            return null;
        }

        var newId = Sequence("package");
        Packages[newId] = name;
        return newId;
    }

    /// <summary>Seeds a build (e.g. a COMPLETE one for tagging tests), owned by <paramref name="owner"/>.</summary>
    public SimBuild AddBuild(string name, string version, string release, string owner, BuildState state = BuildState.Complete, DateTimeOffset? at = null)
    {
        var time = at ?? DateTimeOffset.UnixEpoch;
        var build = new SimBuild
        {
            Id = Sequence("build"),
            PackageId = PackageId(name, create: true)!.Value,
            Name = name,
            Version = version,
            Release = release,
            State = state,
            OwnerId = (UserByName(owner) ?? throw new InvalidOperationException($"no user {owner}")).Id,
            CreateEvent = NextEvent(),
            CreationTime = time,
            StartTime = time,
            CompletionTime = state == BuildState.Building ? null : time,
        };
        Builds[build.Id] = build;
        return build;
    }

    /// <summary>Seeds an archive type (<c>koji add-archivetype</c>).</summary>
    public ArchiveType AddArchiveType(string name, string description, string extensions, string? compressionType = null)
    {
        var type = new ArchiveType(ArchiveTypes.Count == 0 ? 1 : ArchiveTypes.Max(t => t.Id) + 1, name, description, extensions, compressionType);
        ArchiveTypes.Add(type);
        return type;
    }

    /// <summary>
    /// koji <c>get_archive_type(filename=…)</c>: lower-case the name, try its dot suffixes from the longest (the whole
    /// name) to the shortest against every type's extensions; null when nothing matches (cg-import.md §6.3).
    /// </summary>
    public ArchiveType? ArchiveTypeOf(string filename)
    {
        var parts = filename.ToLowerInvariant().Split('.');
        for (var start = 0; start < parts.Length; start++)
        {
            var extension = string.Join('.', parts[start..]);
            var matches = ArchiveTypes.Where(t => t.HasExtension(extension)).ToList();
            if (matches.Count == 1)
            {
                return matches[0];
            }

            if (matches.Count > 1)
            {
                throw HubFault.Generic($"multiple matches for file extension: {extension}");
            }
        }

        return null;
    }

    /// <summary>
    /// koji <c>find_build_id</c>: an id, an <c>"N-V-R"</c> string, or a <c>{name, version, release}</c> struct; null
    /// when there is no such build (with strict: <c>No such build: %r</c>).
    /// </summary>
    public SimBuild? FindBuild(object? info, bool strict)
    {
        SimBuild? build;
        switch (info)
        {
            case int or long:
                build = Builds.GetValueOrDefault(Convert.ToInt64(info, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case string nvr:
                var (n, v, r) = ParseNvr(nvr);
                build = FindBuild(n, v, r);
                break;
            case XmlRpcStruct d:
                if (!(d.ContainsKey("name") && d.ContainsKey("version") && d.ContainsKey("release")))
                {
                    throw HubFault.Generic("did not provide name, version, and release");
                }

                build = FindBuild(d["name"] as string, d["version"] as string, d["release"] as string);
                break;
            default:
                throw HubFault.Generic($"Invalid type for argument: <class '{Arguments.Python(info)}'>");
        }

        if (build is null && strict)
        {
            throw HubFault.Generic($"No such build: {PythonRepr.Of(info)}");
        }

        return build;
    }

    private SimBuild? FindBuild(string? name, string? version, string? release) =>
        Builds.Values.FirstOrDefault(b =>
            string.Equals(b.Name, name, StringComparison.Ordinal) &&
            string.Equals(b.Version, version, StringComparison.Ordinal) &&
            string.Equals(b.Release, release, StringComparison.Ordinal));

    /// <summary>koji <c>parse_NVR</c>: the last two dashes split name, version and release.</summary>
    public static (string Name, string Version, string Release) ParseNvr(string nvr)
    {
        var last = nvr.LastIndexOf('-');
        var middle = last > 0 ? nvr.LastIndexOf('-', last - 1) : -1;
        if (last < 0 || middle < 0)
        {
            throw HubFault.Generic($"invalid format: {nvr}");
        }

        return (nvr[..middle], nvr[(middle + 1)..last], nvr[(last + 1)..]);
    }

    /// <summary>A reservation token: 64 hex characters (koji <c>generate_token</c>).</summary>
    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
