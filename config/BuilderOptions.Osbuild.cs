using KojiComposer.Config.Binding;

namespace KojiComposer.Config;

public sealed partial record BuilderOptions
{
    /// <summary><c>osbuild</c>: the osbuild executable, a name looked up on PATH or a path; default
    /// <c>osbuild</c>.</summary>
    public string Osbuild { get; init; } = "osbuild";

    /// <summary><c>min_osbuild_version</c>: the oldest osbuild this worker starts with; default 190 (what
    /// image-builder needs).</summary>
    public int MinimumOsbuildVersion { get; init; } = 190;

    /// <summary><c>store_dir</c>: osbuild's object store (<c>--store</c>), shared by this worker's builds so
    /// downloads are cached; default <c>/var/cache/kojicomposer/osbuild-store</c>.</summary>
    public string StoreDirectory { get; init; } = "/var/cache/kojicomposer/osbuild-store";

    /// <summary><c>cache_max_size</c>: osbuild's <c>--cache-max-size</c> in bytes (an integer, or <c>"20GiB"</c>,
    /// <c>"500MB"</c>); null for <c>"unlimited"</c>; default 20 GiB.</summary>
    public long? CacheMaxBytes { get; init; } = 20L * 1024 * 1024 * 1024;

    /// <summary><c>checkpoint_build</c>: pass <c>--checkpoint build</c> so build roots are reused; default false.</summary>
    public bool CheckpointBuild { get; init; }

    /// <summary><c>work_dir</c>: where each build gets a directory of its own, removed when it ends; default
    /// <c>/var/lib/kojicomposer/builds</c>.</summary>
    public string WorkDirectory { get; init; } = "/var/lib/kojicomposer/builds";

    /// <summary><c>catalogue</c>: an image-type catalogue file replacing the built-in one (must be readable); null
    /// for the built-in one.</summary>
    public string? CatalogueFile { get; init; }

    /// <summary><c>[builder.environment]</c>: extra environment for osbuild and the generator (e.g.
    /// <c>OSBUILD_SOURCES_CURL_PROXY</c>). Values are never printed: they may hold credentials.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary><c>[builder.generator]</c>: how manifests are made.</summary>
    public BuilderGeneratorOptions Generator { get; init; } = new();

    /// <summary><c>[builder.targets]</c>: the cloud upload targets and their credentials.</summary>
    public TargetsOptions Targets { get; init; } = new();

    private static Dictionary<string, string> BindEnvironment(ConfigSection section)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in section.StringEntries())
        {
            // Only the name goes into the message: the value may be a proxy URL with a password.
            if (name.Length == 0 || name.Contains('=', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
            {
                section.Error(name, "is not an environment variable name (empty, or holds \"=\" or NUL)");
            }
            else
            {
                environment[name] = value;
            }
        }

        return environment;
    }
}
