namespace KojiComposer.Config.Binding;

/// <summary>Checks that a file can be read, describing failures the way the C library does (strerror), which is
/// what an administrator recognises from other tools.</summary>
internal static class FileProbe
{
    /// <summary>Null when <paramref name="path"/> is a file this process can open for reading; else why not.</summary>
    public static string? WhyUnreadable(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Describe(e, path);
        }
    }

    /// <summary>The reason an open or read of <paramref name="path"/> failed.</summary>
    public static string Describe(Exception exception, string path) => exception switch
    {
        // Opening a directory on Unix surfaces as UnauthorizedAccessException; tell it apart from EACCES.
        _ when Directory.Exists(path) => "Is a directory",
        FileNotFoundException or DirectoryNotFoundException => "No such file or directory",
        UnauthorizedAccessException => "Permission denied",
        _ => exception.Message.ReplaceLineEndings(" "),
    };
}
