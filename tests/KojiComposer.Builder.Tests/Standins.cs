namespace KojiComposer.Builder.Tests;

/// <summary>
/// The stand-in executables (tests/standins, osbuild-run.md §11) as copied next to the tests. Their scenario
/// switches are environment variables (tests/standins/README.md).
/// </summary>
internal static class Standins
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "standins");

    /// <summary>The <c>osbuild</c> stand-in.</summary>
    public static string Osbuild => Executable("osbuild");

    /// <summary>The <c>image-builder</c> stand-in.</summary>
    public static string ImageBuilder => Executable("image-builder");

    private static string Executable(string name)
    {
        var path = Path.Combine(Directory, name);
        // MSBuild's copy does not keep the executable bit.
        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return path;
    }
}
