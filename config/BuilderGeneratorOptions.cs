using KojiComposer.Config.Binding;

namespace KojiComposer.Config;

/// <summary>Which manifest generator <c>[builder.generator] kind</c> names.</summary>
public enum GeneratorKind
{
    /// <summary><c>"image-builder"</c>: <c>image-builder manifest</c>.</summary>
    ImageBuilder,

    /// <summary><c>"external"</c>: a site's own command (request JSON on stdin, manifest JSON on stdout).</summary>
    External,
}

/// <summary>The <c>[builder.generator]</c> section: how a worker makes osbuild manifests. Defaults equal the
/// builder's own (<c>ManifestGeneratorSettings</c>, checked by a test).</summary>
public sealed record BuilderGeneratorOptions
{
    /// <summary>Default of <c>command</c> for <see cref="GeneratorKind.ImageBuilder"/>.</summary>
    public const string DefaultCommand = "image-builder";

    private static readonly IReadOnlyList<(string, GeneratorKind)> Kinds =
        [("image-builder", GeneratorKind.ImageBuilder), ("external", GeneratorKind.External)];

    /// <summary><c>kind</c>: <c>"image-builder"</c> (default) or <c>"external"</c>.</summary>
    public GeneratorKind Kind { get; init; } = GeneratorKind.ImageBuilder;

    /// <summary><c>command</c>: the generator's executable, a name on PATH or a path; default
    /// <c>image-builder</c>, required for <c>external</c>.</summary>
    public string Command { get; init; } = DefaultCommand;

    /// <summary><c>args</c>: arguments put before ours (external command only); default none.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary><c>timeout_seconds</c>: how long one manifest may take (it depsolves), 1 to 86400; default 900 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary><c>use_librepo</c>: librepo sources instead of curl (image-builder only); default true.</summary>
    public bool UseLibrepo { get; init; } = true;

    /// <summary><c>with_sbom</c>: ask image-builder for SPDX SBOMs of the depsolved package sets (uploaded to Koji
    /// as <c>sbom-doc</c> outputs); turn off where osbuild-depsolve-dnf cannot make them. Default true.</summary>
    public bool WithSbom { get; init; } = true;

    /// <summary><c>rpmmd_cache</c>: absolute path of the rpm metadata cache for depsolving; default the generator's
    /// own.</summary>
    public string? RpmmdCache { get; init; }

    internal static BuilderGeneratorOptions Bind(ConfigSection section)
    {
        var d = new BuilderGeneratorOptions();
        var kind = section.Choice("kind", d.Kind, Kinds);
        if (kind == GeneratorKind.External && !section.Has("command"))
        {
            section.Error("command", $"required when {section.KeyPath("kind")} = \"external\": name the site's manifest command");
        }

        var arguments = section.StringList("args") ?? d.Arguments;
        if (kind == GeneratorKind.ImageBuilder && section.Has("args"))
        {
            section.Error("args", $"only for {section.KeyPath("kind")} = \"external\"; image-builder gets its arguments from the build");
        }

        return new BuilderGeneratorOptions
        {
            Kind = kind,
            Command = section.NonEmptyString("command", d.Command),
            Arguments = arguments,
            Timeout = section.Seconds("timeout_seconds", d.Timeout, 1, 86400),
            UseLibrepo = section.Boolean("use_librepo", d.UseLibrepo),
            WithSbom = section.Boolean("with_sbom", d.WithSbom),
            RpmmdCache = section.AbsolutePath("rpmmd_cache"),
        };
    }
}
