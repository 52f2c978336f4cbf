namespace KojiComposer.Builder.Catalogue;

/// <summary>
/// The (distribution, image type) → <see cref="ImageTypeInfo"/> catalogue: built in (Catalogue/catalogue.json, made
/// from osbuild/images' definitions for the image-builder version the README names) or a site's file
/// (<see cref="BuilderSettings.CatalogueFile"/>). The first entry whose image type matches and whose distro pattern
/// matches wins, so specific entries come before <c>*</c> ones.
/// </summary>
public sealed partial class ImageTypeCatalogue
{
    private readonly IReadOnlyList<ImageTypeInfo> _entries;

    /// <summary>A catalogue of <paramref name="entries"/>, in match order.</summary>
    public ImageTypeCatalogue(IReadOnlyList<ImageTypeInfo> entries) => _entries = entries;

    /// <summary>
    /// The old Koji-API image type names and the Cloud API names they stand for (osbuildimage-task.md §4 step 6).
    /// The task intake maps them before anything else; every other name passes through unchanged.
    /// </summary>
    public static IReadOnlyDictionary<string, string> KojiAliases { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["qcow2"] = "guest-image",
        ["ec2"] = "aws-rhui",
        ["ec2-ha"] = "aws-ha-rhui",
        ["ec2-sap"] = "aws-sap-rhui",
    };

    /// <summary>Every entry, in match order.</summary>
    public IReadOnlyList<ImageTypeInfo> Entries => _entries;

    /// <summary>The entry for <paramref name="imageType"/> on <paramref name="distribution"/>, or null.</summary>
    public ImageTypeInfo? Find(string distribution, string imageType) =>
        _entries.FirstOrDefault(e => string.Equals(e.ImageType, imageType, StringComparison.Ordinal) && DistroMatches(e.Distro, distribution));

    /// <summary>The image types known for <paramref name="distribution"/>, each once, in catalogue order.</summary>
    public IReadOnlyList<string> ImageTypesFor(string distribution) =>
        _entries.Where(e => DistroMatches(e.Distro, distribution)).Select(e => e.ImageType).Distinct(StringComparer.Ordinal).ToList();

    private static bool DistroMatches(string pattern, string distribution) =>
        pattern == "*" || (pattern.EndsWith('*') ? distribution.StartsWith(pattern[..^1], StringComparison.Ordinal) : pattern == distribution);
}
