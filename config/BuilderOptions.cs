using System.Runtime.InteropServices;
using KojiComposer.Config.Binding;

namespace KojiComposer.Config;

/// <summary>The <c>[builder]</c> section: what the builder role builds, how many at once, which osbuild and
/// manifest generator it runs and where their files go. Defaults equal the builder's own (<c>BuilderSettings</c>,
/// checked by a test).</summary>
public sealed partial record BuilderOptions
{
    /// <summary>Koji's architecture names that <c>arches</c> accepts.</summary>
    public static readonly IReadOnlyList<string> KnownArches = ["x86_64", "aarch64", "ppc64le", "s390x", "riscv64"];

    /// <summary><c>arches</c>: the Koji architectures this process builds for (each is queue
    /// <c>build-&lt;arch&gt;</c>); default this machine's (<see cref="MachineArch"/>).</summary>
    public IReadOnlyList<string> Arches { get; init; } = MachineArch is { } arch ? [arch] : [];

    /// <summary><c>workers</c>: concurrent image builds, 1 to 64; default 1 (osbuild uses every core).</summary>
    public int Workers { get; init; } = 1;

    /// <summary>This machine's architecture by Koji's name, or null when Koji has no name for it.</summary>
    public static string? MachineArch => KojiArch(RuntimeInformation.OSArchitecture);

    /// <summary>Koji's name for a .NET <see cref="Architecture"/> (koji's <c>arches</c>; .NET calls them X64, Arm64
    /// and so on).</summary>
    public static string? KojiArch(Architecture architecture) => architecture switch
    {
        Architecture.X64 => "x86_64",
        Architecture.Arm64 => "aarch64",
        Architecture.Ppc64le => "ppc64le",
        Architecture.S390x => "s390x",
        Architecture.RiscV64 => "riscv64",
        _ => null,
    };

    internal static BuilderOptions Bind(ConfigSection section)
    {
        var defaults = new BuilderOptions();
        return new BuilderOptions
        {
            Arches = BindArches(section, defaults.Arches),
            Workers = section.Integer("workers", defaults.Workers, 1, 64),
            Osbuild = section.NonEmptyString("osbuild", defaults.Osbuild),
            MinimumOsbuildVersion = section.Integer("min_osbuild_version", defaults.MinimumOsbuildVersion, 1, 100_000),
            StoreDirectory = section.AbsolutePath("store_dir") ?? defaults.StoreDirectory,
            CacheMaxBytes = section.SizeOrUnlimited("cache_max_size", defaults.CacheMaxBytes),
            CheckpointBuild = section.Boolean("checkpoint_build", defaults.CheckpointBuild),
            WorkDirectory = section.AbsolutePath("work_dir") ?? defaults.WorkDirectory,
            CatalogueFile = section.ReadableFile("catalogue", "image-type catalogue"),
            Environment = BindEnvironment(section.Section("environment")),
            Generator = BuilderGeneratorOptions.Bind(section.Section("generator")),
            Targets = TargetsOptions.Bind(section.Section("targets")),
        };
    }

    private static IReadOnlyList<string> BindArches(ConfigSection section, IReadOnlyList<string> defaultArches)
    {
        if (section.StringList("arches") is not { } words)
        {
            return defaultArches;
        }

        var arches = new List<string>();
        foreach (var word in words)
        {
            if (!KnownArches.Contains(word, StringComparer.Ordinal))
            {
                var suggestion = ClosestMatch.Find(word, KnownArches);
                var problem = $"unknown architecture {ConfigText.Quote(word)}; Koji's names are {string.Join(", ", KnownArches.Select(ConfigText.Quote))}";
                section.Error("arches", suggestion is null ? problem : $"{problem}; did you mean {ConfigText.Quote(suggestion)}?");
            }
            else if (arches.Contains(word, StringComparer.Ordinal))
            {
                section.Error("arches", $"lists {ConfigText.Quote(word)} twice");
            }
            else
            {
                arches.Add(word);
            }
        }

        // Only wrong names: they are reported, and "no architecture" would only repeat that.
        return arches.Count == 0 && words.Count > 0 ? defaultArches : arches;
    }
}
