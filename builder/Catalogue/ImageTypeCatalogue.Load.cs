namespace KojiComposer.Builder.Catalogue;

public sealed partial class ImageTypeCatalogue
{
    /// <summary>The built-in catalogue, or the site's <paramref name="file"/> when given.</summary>
    /// <exception cref="CatalogueException">The file cannot be read or has a wrong entry (named with its position).</exception>
    public static ImageTypeCatalogue Load(string? file = null) => throw new NotImplementedException(file);
}

/// <summary>A catalogue file is unreadable or wrong.</summary>
public sealed class CatalogueException(string message, Exception? innerException = null) : Exception(message, innerException);
