using System.Globalization;

namespace KojiComposer.Builder.Osbuild;

/// <summary>osbuild's command line for one build (osbuild-run.md §2, "KojiComposer's command").</summary>
internal static class OsbuildArguments
{
    /// <summary>The arguments after the executable.</summary>
    public static IReadOnlyList<string> For(OsbuildRunRequest request)
    {
        var args = new List<string>
        {
            "--store", request.StoreDirectory,
            "--output-directory", request.OutputDirectory,
            // Without --cache-max-size the store keeps nothing (osbuild-run.md §2, verified).
            "--cache-max-size=" + (request.CacheMaxBytes is { } bytes ? bytes.ToString(CultureInfo.InvariantCulture) : "unlimited"),
        };
        if (request.CheckpointBuild)
        {
            args.AddRange(["--checkpoint", "build"]);
        }

        // The monitor goes to stderr (fd 2): stdout carries only the --json result, and .NET cannot hand a child an
        // arbitrary fd 3. The manifest comes on stdin ("-").
        args.AddRange(["--export", request.Export, "--json", "--monitor=JSONSeqMonitor", "--monitor-fd=2", "-"]);
        return args;
    }
}
