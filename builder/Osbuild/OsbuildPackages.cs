using System.Text.Json.Nodes;
using KojiComposer.Contracts.Images;

namespace KojiComposer.Builder.Osbuild;

/// <summary>The RPMs of an osbuild result (<c>org.osbuild.rpm</c> stage metadata, osbuild-run.md §4) as Koji
/// components, split by pipeline role.</summary>
public static class OsbuildPackages
{
    /// <summary>Buildroot components (packages of <see cref="PipelineNames.Build"/>) and image components (packages
    /// of <see cref="PipelineNames.Payload"/>), each de-duplicated by NEVRA, in first-seen order.</summary>
    /// <remarks>cg-import.md §6.1: epoch null stays null (no epoch); signature is <c>siggpg</c> when non-empty,
    /// else <c>sigpgp</c> when non-empty, else null; <c>sigmd5</c> as osbuild reports it. A pipeline without rpm
    /// metadata (it ran no rpm stage) contributes nothing.</remarks>
    /// <exception cref="FormatException">A package entry lacks its name, version, release or arch.</exception>
    public static (IReadOnlyList<RpmComponent> Buildroot, IReadOnlyList<RpmComponent> Image) Split(JsonObject document, PipelineNames pipelines)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(pipelines);
        var metadata = document["metadata"] as JsonObject;
        return (Collect(metadata, pipelines.Build), Collect(metadata, pipelines.Payload));
    }

    private static List<RpmComponent> Collect(JsonObject? metadata, IReadOnlyList<string> pipelines)
    {
        var components = new List<RpmComponent>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pipeline in pipelines)
        {
            if (metadata.Field(pipeline).Field("org.osbuild.rpm").Field("packages") is not JsonArray packages)
            {
                continue;
            }

            for (var i = 0; i < packages.Count; i++)
            {
                var component = Component(packages[i], pipeline, i);
                if (seen.Add(component.Nevra))
                {
                    components.Add(component);
                }
            }
        }

        return components;
    }

    private static RpmComponent Component(JsonNode? package, string pipeline, int index)
    {
        if (package is not JsonObject)
        {
            throw new FormatException($"osbuild result: metadata.{pipeline}.org.osbuild.rpm.packages[{index}] is not an object");
        }

        string Required(string key) => NonEmpty(package[key])
            ?? throw new FormatException($"osbuild result: metadata.{pipeline}.org.osbuild.rpm.packages[{index}] has no \"{key}\"");

        // An empty epoch is no epoch (cg-import.md §6.1 omits it): "" would make Koji's NEVRA "name-:version-release".
        var epoch = package["epoch"] switch
        {
            JsonValue v when v.TryGetValue<string>(out var s) => s.Length > 0 ? s : null,
            JsonValue v when v.TryGetValue<long>(out var n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => null,
        };
        return new RpmComponent(
            Required("name"),
            Required("version"),
            Required("release"),
            epoch,
            Required("arch"),
            NonEmpty(package["sigmd5"]),
            NonEmpty(package["siggpg"]) ?? NonEmpty(package["sigpgp"]));
    }

    private static string? NonEmpty(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
}
