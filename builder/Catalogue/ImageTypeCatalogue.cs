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

    /// <summary>Every entry, in match order.</summary>
    public IReadOnlyList<ImageTypeInfo> Entries => _entries;

    /// <summary>The entry for <paramref name="imageType"/> on <paramref name="distribution"/>, or null.</summary>
    public ImageTypeInfo? Find(string distribution, string imageType) =>
        _entries.FirstOrDefault(e => string.Equals(e.ImageType, imageType, StringComparison.Ordinal) && DistroMatches(e.Distro, distribution));

    private static bool DistroMatches(string pattern, string distribution) =>
        pattern == "*" || (pattern.EndsWith('*') ? distribution.StartsWith(pattern[..^1], StringComparison.Ordinal) : pattern == distribution);
}
