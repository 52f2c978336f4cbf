namespace KojiComposer.Builder;

/// <summary>
/// How a worker builds images: which osbuild and manifest generator it runs, where their files go, and what it
/// needs of them. Made from <c>[builder]</c> by the service (service/Hosting/OptionsMapping.cs); tests make their own.
/// </summary>
public sealed record BuilderSettings
{
    /// <summary>The oldest osbuild a worker accepts: image-builder needs 190 (osbuild-run.md §9).</summary>
    public const int DefaultMinimumOsbuildVersion = 190;

    /// <summary>The osbuild executable (a name looked up on PATH, or a path).</summary>
    public string Osbuild { get; init; } = "osbuild";

    /// <summary>The oldest osbuild version this worker starts with.</summary>
    public int MinimumOsbuildVersion { get; init; } = DefaultMinimumOsbuildVersion;

    /// <summary>osbuild's object store (<c>--store</c>), shared by the builds of this worker so downloads are
    /// cached.</summary>
    public string StoreDirectory { get; init; } = "/var/cache/kojicomposer/osbuild-store";

    /// <summary><c>--cache-max-size</c> in bytes; null for <c>unlimited</c>. Composer's default is 20 GiB.</summary>
    public long? CacheMaxBytes { get; init; } = 20L * 1024 * 1024 * 1024;

    /// <summary>Pass <c>--checkpoint build</c> so build roots are reused between builds of the same distro.</summary>
    public bool CheckpointBuild { get; init; }

    /// <summary>Where each image build gets a directory of its own (manifest, blueprint, repositories, osbuild's
    /// output); removed when the build ends, whatever the outcome.</summary>
    public string WorkDirectory { get; init; } = "/var/lib/kojicomposer/builds";

    /// <summary>Extra environment for osbuild (e.g. <c>OSBUILD_SOURCES_CURL_PROXY</c>); never logged, since values
    /// may hold credentials.</summary>
    public IReadOnlyDictionary<string, string> OsbuildEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>How manifests are made.</summary>
    public ManifestGeneratorSettings Generator { get; init; } = new();

    /// <summary>The cloud upload targets (<c>[builder.targets]</c>).</summary>
    public Config.TargetsOptions Targets { get; init; } = new();

    /// <summary>An image-type catalogue file replacing the built-in one (Catalogue/catalogue.json's format), or
    /// null.</summary>
    public string? CatalogueFile { get; init; }

    /// <summary>How long a cancelled osbuild's process group gets between SIGTERM and SIGKILL.</summary>
    public TimeSpan KillGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often live progress is handed to the scheduler (it writes at most every few seconds anyway).</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>Which manifest generator runs: <see cref="ManifestGeneratorKind.ImageBuilder"/> (the
/// <c>image-builder manifest</c> command) or <see cref="ManifestGeneratorKind.External"/> (a site's own command,
/// README "External manifest generator").</summary>
public sealed record ManifestGeneratorSettings
{
    /// <summary>Which generator.</summary>
    public ManifestGeneratorKind Kind { get; init; } = ManifestGeneratorKind.ImageBuilder;

    /// <summary>The generator's executable: <c>image-builder</c> by default, the site's command for
    /// <see cref="ManifestGeneratorKind.External"/>.</summary>
    public string Command { get; init; } = "image-builder";

    /// <summary>Extra arguments before ours (external command only).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>How long one manifest may take (it depsolves).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary><c>--use-librepo</c> (image-builder only): librepo sources instead of curl.</summary>
    public bool UseLibrepo { get; init; } = true;

    /// <summary><c>--with-sbom</c> (image-builder only): have the depsolve write SPDX documents, uploaded with the
    /// image. Turn off for an osbuild-depsolve-dnf without SBOM support, which fails every manifest otherwise.</summary>
    public bool WithSbom { get; init; } = true;

    /// <summary>A directory of rpm metadata caches for depsolving (<c>--rpmmd-cache</c>), or null for the
    /// generator's default.</summary>
    public string? RpmmdCache { get; init; }
}

/// <summary>See <see cref="ManifestGeneratorSettings.Kind"/>.</summary>
public enum ManifestGeneratorKind
{
    /// <summary><c>image-builder manifest</c>.</summary>
    ImageBuilder,

    /// <summary>A site command: request JSON on stdin, manifest JSON on stdout.</summary>
    External,
}
