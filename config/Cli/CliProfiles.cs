namespace KojiComposer.Config.Cli;

/// <summary>
/// Every profile of the cli.toml files, merged, with the problems of each kept apart: as with koji's config, a
/// mistake in one profile (a keytab path of another machine, a typo in <c>[stg]</c>) concerns only whoever selects
/// that profile. Problems of a file as a whole (unreadable, not TOML, a key outside any table) are not here: they
/// fail every profile (<see cref="CliConfiguration.Read"/> throws).
/// </summary>
public sealed class CliProfiles
{
    private readonly IReadOnlyList<(string Profile, ConfigurationError Error)> _problems;

    /// <param name="profiles">The merged profiles.</param>
    /// <param name="problems">Each problem with its profile, in file order.</param>
    internal CliProfiles(IReadOnlyDictionary<string, CliProfile> profiles, IReadOnlyList<(string Profile, ConfigurationError Error)> problems)
    {
        Profiles = profiles;
        _problems = problems;
    }

    /// <summary>Every profile by name, those with problems included (their broken values read as unset).</summary>
    public IReadOnlyDictionary<string, CliProfile> Profiles { get; }

    /// <summary>The problems of profile <paramref name="name"/> (<c>file:line: name.key: problem</c>), in file
    /// order; empty when it has none or does not exist.</summary>
    public IReadOnlyList<ConfigurationError> ProblemsOf(string name) =>
        [.. _problems.Where(p => string.Equals(p.Profile, name, StringComparison.Ordinal)).Select(p => p.Error)];

    /// <summary>The problems of every profile, in file order.</summary>
    public IReadOnlyList<ConfigurationError> AllProblems => [.. _problems.Select(p => p.Error)];

    /// <summary>The profile <paramref name="name"/>, or null when no file has it.</summary>
    /// <exception cref="ConfigurationException">It has problems; all of them are listed.</exception>
    public CliProfile? Select(string name)
    {
        if (!Profiles.TryGetValue(name, out var profile))
        {
            return null;
        }

        return ProblemsOf(name) is { Count: > 0 } problems ? throw new ConfigurationException(problems) : profile;
    }

    /// <summary>The problems of every profile but <paramref name="name"/>, in file order.</summary>
    public IReadOnlyList<ConfigurationError> ProblemsOutside(string name) =>
        [.. _problems.Where(p => !string.Equals(p.Profile, name, StringComparison.Ordinal)).Select(p => p.Error)];
}
