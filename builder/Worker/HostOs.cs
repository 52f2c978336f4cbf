namespace KojiComposer.Builder.Worker;

/// <summary>
/// The worker host's OS as CG buildroots name it (cg-import.md §6.1 <c>host.os</c>): <c>&lt;ID&gt;-&lt;VERSION_ID&gt;</c>
/// from os-release, e.g. <c>rhel-9.6</c>; <c>linux</c> when the file or either field is missing.
/// </summary>
internal static class HostOs
{
    /// <summary>Where os-release lives (os-release(5): /etc first, /usr/lib as the fallback).</summary>
    public static readonly IReadOnlyList<string> DefaultPaths = ["/etc/os-release", "/usr/lib/os-release"];

    /// <summary>Reads the first existing file of <paramref name="paths"/>.</summary>
    public static string Detect(IReadOnlyList<string> paths)
    {
        foreach (var path in paths)
        {
            try
            {
                if (File.Exists(path))
                {
                    return Parse(File.ReadAllLines(path));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Unreadable: the next candidate (/usr/lib/os-release) says the same.
            }
        }

        return "linux";
    }

    /// <summary><c>ID-VERSION_ID</c> from os-release lines (shell-style <c>KEY=value</c>, optionally quoted).</summary>
    public static string Parse(IEnumerable<string> lines)
    {
        string? id = null, version = null;
        foreach (var line in lines)
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || line.StartsWith('#'))
            {
                continue;
            }

            var key = line[..eq].Trim();
            var value = line[(eq + 1)..].Trim().Trim('"', '\'');
            if (key == "ID")
            {
                id = value;
            }
            else if (key == "VERSION_ID")
            {
                version = value;
            }
        }

        return string.IsNullOrEmpty(id) || string.IsNullOrEmpty(version) ? "linux" : $"{id}-{version}";
    }
}
