namespace KojiComposer.HubBridge.Uploads;

/// <summary>Where things go under the hub's <c>work/</c> directory (koji-wire.md §8.4).</summary>
public static class KojiPaths
{
    /// <summary>A task's output directory: <c>tasks/&lt;id % 10000&gt;/&lt;id&gt;</c>.</summary>
    public static string TaskOutputDirectory(long taskId) => $"tasks/{taskId % 10000}/{taskId}";

    /// <summary>
    /// Checks an upload destination the way the hub will, so a bad name fails before any byte is sent: the
    /// directory is relative and does not climb out; the name is bare and does not start with a dot.
    /// </summary>
    /// <exception cref="ArgumentException">Names what is wrong with the directory or file name.</exception>
    public static void ValidateUploadDestination(string directory, string name)
    {
        // kojihub refuses a path that starts with ".." after normalising, so "..foo" too.
        if (string.IsNullOrWhiteSpace(directory) || directory.StartsWith('/') || directory.StartsWith("..", StringComparison.Ordinal) || directory.Split('/').Contains(".."))
        {
            throw new ArgumentException($"upload directory '{directory}' must be a relative path under the hub's work directory, without '..'", nameof(directory));
        }

        if (string.IsNullOrEmpty(name) || name.StartsWith('.') || name.Contains('/', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"upload file name '{name}' must be a bare file name that does not start with '.'", nameof(name));
        }
    }
}
