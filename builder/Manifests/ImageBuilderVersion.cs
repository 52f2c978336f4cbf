using System.Text.RegularExpressions;

namespace KojiComposer.Builder.Manifests;

/// <summary>Reads image-builder's version output (<c>cmd/image-builder/version.go</c>): YAML with an
/// <c>image-builder</c> mapping whose <c>version</c> is the release, e.g. <c>79</c>.</summary>
internal static partial class ImageBuilderVersion
{
    [GeneratedRegex(@"^image-builder:\s*\n(?:[ \t]+.*\n)*?[ \t]+version:[ \t]*""?(?<version>[^""\s]+)""?[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex VersionLine();

    /// <summary>The version, or null when <paramref name="stdout"/> is not that document.</summary>
    public static string? Parse(string stdout)
    {
        var match = VersionLine().Match(stdout.ReplaceLineEndings("\n"));
        return match.Success ? match.Groups["version"].Value : null;
    }
}
