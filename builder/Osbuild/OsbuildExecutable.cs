namespace KojiComposer.Builder.Osbuild;

/// <summary>Finds an executable the way execvp(3) does (a name with a slash is a path, anything else is looked up
/// on PATH), so that a missing osbuild is reported with what was searched instead of a bare "No such file".</summary>
internal static class OsbuildExecutable
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>The absolute path of <paramref name="name"/>.</summary>
    /// <exception cref="OsbuildUnavailableException">Not found, a directory, or not executable; the message names
    /// the executable, the PATH searched and what is wrong.</exception>
    public static string Resolve(string name, string role)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new OsbuildUnavailableException($"{role}: no executable configured");
        }

        if (name.Contains('/', StringComparison.Ordinal))
        {
            var path = Path.GetFullPath(name);
            if (!File.Exists(path))
            {
                throw new OsbuildUnavailableException(Directory.Exists(path)
                    ? $"{role} executable {path} is a directory"
                    : $"{role} executable {path} does not exist");
            }

            return IsExecutable(path) ? path : throw new OsbuildUnavailableException($"{role} executable {path} is not executable (mode {Mode(path)})");
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
                    return candidate;
                }

                notExecutable ??= candidate;
            }
        }

        throw new OsbuildUnavailableException(notExecutable is null
            ? $"{role} executable \"{name}\" was not found on PATH ({searchPath})"
            : $"{role} executable \"{name}\" was found on PATH ({searchPath}) as {notExecutable}, which is not executable (mode {Mode(notExecutable)})");
    }

    // Any execute bit: root may run such a file, and for other users the kernel's answer at start-up is reported too.
    private static bool IsExecutable(string path) => (File.GetUnixFileMode(path) & AnyExecute) != 0;

    private static string Mode(string path) => Convert.ToString((int)File.GetUnixFileMode(path), 8);
}
