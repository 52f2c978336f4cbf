namespace KojiComposer.Builder.Artifacts;

/// <summary>
/// Finds the file osbuild exported (osbuild-run.md §6): <c>&lt;outdir&gt;/&lt;export&gt;/&lt;default filename&gt;</c>. When that
/// exact file is missing but the export directory holds exactly one file, that file is the artifact (an image
/// definition newer than our catalogue may have renamed it); anything else is no artifact.
/// </summary>
public static class ArtifactLocator
{
    /// <summary>The artifact of export <paramref name="export"/> under <paramref name="outputDirectory"/>, or null.</summary>
    public static LocatedArtifact? Find(string outputDirectory, string export, string filename)
    {
        var exportDirectory = Path.Combine(outputDirectory, export);
        var expected = Path.Combine(exportDirectory, filename);
        if (File.Exists(expected))
        {
            return new LocatedArtifact(expected, filename, Substituted: false);
        }

        if (!Directory.Exists(exportDirectory))
        {
            return null;
        }

        var files = Directory.GetFiles(exportDirectory);
        return files.Length == 1 ? new LocatedArtifact(files[0], Path.GetFileName(files[0]), Substituted: true) : null;
    }

    /// <summary>What the export directory holds, for the error when there is no artifact: file names, or
    /// <c>nothing</c>.</summary>
    public static string Describe(string outputDirectory, string export)
    {
        var exportDirectory = Path.Combine(outputDirectory, export);
        if (!Directory.Exists(exportDirectory))
        {
            return $"no directory {export}/";
        }

        var entries = Directory.GetFileSystemEntries(exportDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        return entries.Length == 0 ? $"{export}/ is empty" : $"{export}/ holds {string.Join(", ", entries)}";
    }
}

/// <summary>An exported artifact.</summary>
/// <param name="Path">Where it is.</param>
/// <param name="Filename">Its name in the export directory.</param>
/// <param name="Substituted">True when it is not the catalogue's file name but the export's only file.</param>
public sealed record LocatedArtifact(string Path, string Filename, bool Substituted);
