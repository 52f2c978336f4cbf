using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Worker;

/// <summary>
/// One image build's own directory, <c>&lt;work&gt;/&lt;compose id&gt;-&lt;image index&gt;-&lt;random&gt;</c> (the random part
/// keeps a retried build, or one still being cleaned up, apart). Holds <c>generator/</c> (blueprint, repository files,
/// SBOMs), <c>output/</c> (osbuild's exports), <c>koji/</c> (the rendered manifest and log) and <c>targets/</c>
/// (what cloud targets make). Disposing removes it.
/// </summary>
internal sealed class BuildWorkDirectory : IDisposable
{
    private readonly ILogger _logger;

    private BuildWorkDirectory(string path, ILogger logger)
    {
        Path = path;
        _logger = logger;
    }

    /// <summary>The directory.</summary>
    public string Path { get; }

    /// <summary>For the manifest generator.</summary>
    public string Generator => System.IO.Path.Combine(Path, "generator");

    /// <summary>osbuild's <c>--output-directory</c>.</summary>
    public string Output => System.IO.Path.Combine(Path, "output");

    /// <summary>Files written for Koji.</summary>
    public string Koji => System.IO.Path.Combine(Path, "koji");

    /// <summary>Files cloud targets make (a decompressed artifact).</summary>
    public string Targets => System.IO.Path.Combine(Path, "targets");

    /// <summary>Makes a new directory under <paramref name="root"/>.</summary>
    public static BuildWorkDirectory Create(string root, Guid composeId, int imageIndex, ILogger logger)
    {
        var name = $"{composeId:D}-{imageIndex}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        var directory = new BuildWorkDirectory(System.IO.Path.Combine(root, name), logger);
        Directory.CreateDirectory(directory.Generator);
        Directory.CreateDirectory(directory.Output);
        Directory.CreateDirectory(directory.Koji);
        Directory.CreateDirectory(directory.Targets);
        return directory;
    }

    /// <summary>Removes the directory and everything in it; a failure is logged, never thrown (the build's own
    /// outcome matters more).</summary>
    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Path))
            {
                Directory.Delete(Path, recursive: true);
            }

            Log.WorkDirectoryRemoved(_logger, Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.WorkDirectoryNotRemoved(_logger, Path, e.Message);
        }
    }
}
