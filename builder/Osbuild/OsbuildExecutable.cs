namespace KojiComposer.Builder.Osbuild;

/// <summary>Finds an executable the way execvp(3) does (a name with a slash is a path, anything else is looked up
/// on PATH), so that a missing osbuild is reported with what was searched instead of a bare "No such file".</summary>
internal static class OsbuildExecutable
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>Where <paramref name="name"/> is: an executable file (<see cref="Lookup.Path"/>), or the first
    /// non-executable file of that name (<see cref="Lookup.NotExecutable"/>), or neither. The builder's start-up check
    /// uses it too, so that it vets the very file the runner will start.</summary>
    public static Lookup Find(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            var path = Path.GetFullPath(name);
            return !File.Exists(path) ? new(null, null, "") : IsExecutable(path) ? new(path, null, "") : new(null, path, "");
        }

        var searchPath = Environment.GetEnvironmentVariable("PATH") ?? "";
        string? notExecutable = null;
        foreach (var directory in searchPath.Split(':'))
        {
            var candidate = Path.GetFullPath(Path.Combine(directory.Length == 0 ? "." : directory, name));
            if (File.Exists(candidate))
            {
                if (IsExecutable(candidate))
                {
                    return new(candidate, null, searchPath);
                }

                notExecutable ??= candidate;
            }
        }

        return new(null, notExecutable, searchPath);
    }

    /// <summary>The absolute path of <paramref name="name"/>.</summary>
    /// <exception cref="OsbuildUnavailableException">Not found, a directory, or not executable; the message names
    /// the executable, the PATH searched and what is wrong.</exception>
    public static string Resolve(string name, string role)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new OsbuildUnavailableException($"{role}: no executable configured");
        }

        var found = Find(name);
        if (found.Path is { } executable)
        {
            return executable;
        }

        if (name.Contains('/', StringComparison.Ordinal))
        {
            var path = Path.GetFullPath(name);
            throw new OsbuildUnavailableException(found.NotExecutable is not null
                ? $"{role} executable {path} is not executable (mode {Mode(path)})"
                : Directory.Exists(path) ? $"{role} executable {path} is a directory" : $"{role} executable {path} does not exist");
        }

        throw new OsbuildUnavailableException(found.NotExecutable is null
            ? $"{role} executable \"{name}\" was not found on PATH ({found.SearchPath})"
            : $"{role} executable \"{name}\" was found on PATH ({found.SearchPath}) as {found.NotExecutable}, which is not executable (mode {Mode(found.NotExecutable)})");
    }

    /// <summary>What <see cref="Find"/> found.</summary>
    /// <param name="Path">The executable, or null.</param>
    /// <param name="NotExecutable">A file of that name without an execute bit, or null.</param>
    /// <param name="SearchPath">The PATH searched; empty for a name with a slash.</param>
    public readonly record struct Lookup(string? Path, string? NotExecutable, string SearchPath);

    // Any execute bit: root may run such a file, and for other users the kernel's answer at start-up is reported too.
    private static bool IsExecutable(string path) => (File.GetUnixFileMode(path) & AnyExecute) != 0;

    private static string Mode(string path) => Convert.ToString((int)File.GetUnixFileMode(path), 8);
}
