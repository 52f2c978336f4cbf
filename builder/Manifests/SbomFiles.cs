using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Manifests;

/// <summary>
/// Finds the SPDX documents <c>image-builder manifest --with-sbom</c> wrote. osbuild/images names them
/// <c>&lt;distro&gt;-&lt;type&gt;-&lt;arch&gt;.&lt;purpose&gt;-&lt;pipeline&gt;.spdx.json</c> with purpose
/// <c>image</c> (payload pipelines) or <c>buildroot</c> (build pipelines) (<c>pkg/manifestgen</c>); image-builder
/// re-bases the name on the first dot, which for a dotted distro such as <c>rhel-9.6</c> repeats part of it, so only
/// the tail is trusted. The tail is the Koji suffix (cg-import.md §3).
/// </summary>
internal static partial class SbomFiles
{
    [GeneratedRegex(@"\.(?<suffix>(?:image|buildroot)-[A-Za-z0-9_-]+)\.spdx\.json$")]
    private static partial Regex Suffix();

    /// <summary>Every SBOM in <paramref name="directory"/>, sorted by suffix; empty when there are none.</summary>
    public static IReadOnlyList<GeneratedSbom> Collect(string directory, string image, ILogger logger)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var sboms = new List<GeneratedSbom>();
        foreach (var path in Directory.EnumerateFiles(directory, "*.spdx.json", SearchOption.AllDirectories))
        {
            var match = Suffix().Match(Path.GetFileName(path));
            if (match.Success)
            {
                sboms.Add(new GeneratedSbom(path, match.Groups["suffix"].Value));
            }
            else
            {
                Log.SbomSkipped(logger, image, Path.GetFileName(path));
            }
        }

        return [.. sboms.DistinctBy(s => s.Suffix, StringComparer.Ordinal).OrderBy(s => s.Suffix, StringComparer.Ordinal)];
    }
}
