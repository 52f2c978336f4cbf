using System.Diagnostics;
using System.Formats.Tar;

namespace KojiComposer.Builder.Tests.Targets.Container;

/// <summary>
/// A tiny OCI image (one layer with /hello.txt) built with umoci and tarred into an <c>oci-archive</c>, like
/// osbuild's <c>container.tar</c>; made once per test class in a temporary directory.
/// </summary>
public sealed class OciTestImage : IDisposable
{
    public OciTestImage()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("kc-oci-").FullName;
        var layout = Path.Combine(Directory, "layout");
        var content = Path.Combine(Directory, "hello.txt");
        File.WriteAllText(content, "hello from KojiComposer\n");
        Umoci("init", "--layout", layout);
        Umoci("new", "--image", $"{layout}:latest");
        Umoci("insert", "--rootless", "--image", $"{layout}:latest", content, "/hello.txt");
        Archive = Path.Combine(Directory, "container.tar");
        TarFile.CreateFromDirectory(layout, Archive, includeBaseDirectory: false);
    }

    /// <summary>The temporary directory (removed on dispose).</summary>
    public string Directory { get; }

    /// <summary>The oci-archive.</summary>
    public string Archive { get; }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void Umoci(params string[] arguments)
    {
        var start = new ProcessStartInfo("umoci") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"umoci {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}{output.Result}");
        }
    }
}
