namespace KojiComposer.Scheduler.Tests.Web;

/// <summary>Where test screenshots go: <c>artifacts/screenshots/</c> at the repository root (the directory of
/// KojiComposer.sln above the test binaries).</summary>
internal static class Screenshots
{
    public static string PathFor(string fileName)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "KojiComposer.sln")))
        {
            directory = directory.Parent;
        }

        var root = directory?.FullName ?? throw new InvalidOperationException("KojiComposer.sln not found above " + AppContext.BaseDirectory);
        var screenshots = Path.Combine(root, "artifacts", "screenshots");
        Directory.CreateDirectory(screenshots);
        return Path.Combine(screenshots, fileName);
    }
}
