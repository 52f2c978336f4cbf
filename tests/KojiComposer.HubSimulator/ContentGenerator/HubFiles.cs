namespace KojiComposer.HubSimulator.ContentGenerator;

/// <summary>File tests with Python's meaning (.NET's File.Exists is true for a dangling symlink; os.path.exists is not).</summary>
internal static class HubFiles
{
    /// <summary><c>os.path.exists</c>: the path, its symlinks followed, names an existing file or directory.</summary>
    public static bool TargetExists(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is null)
        {
            return info.Exists || Directory.Exists(path);
        }

        try
        {
            return info.ResolveLinkTarget(returnFinalTarget: true) is { } target && (target.Exists || Directory.Exists(target.FullName));
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary><c>os.path.isfile</c>: a regular file, symlinks followed.</summary>
    public static bool IsFile(string path) => TargetExists(path) && !Directory.Exists(path);
}
