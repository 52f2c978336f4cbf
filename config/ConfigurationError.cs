namespace KojiComposer.Config;

/// <summary>One problem found in a configuration file.</summary>
/// <param name="File">The file (or source name) the problem is in.</param>
/// <param name="Line">1-based line of the offending key or table header; null when there is no such line (for
/// instance a required key in a section the file does not have).</param>
/// <param name="Key">Dotted key path such as <c>hub.url</c>; empty for problems not tied to a key (an unreadable
/// file, a TOML syntax error).</param>
/// <param name="Problem">What is wrong, in one line.</param>
public sealed record ConfigurationError(string File, int? Line, string Key, string Problem)
{
    /// <summary>The error as one line: <c>file:line: key: problem</c>, leaving out the parts that are absent.</summary>
    public override string ToString()
    {
        var location = Line is { } line ? $"{File}:{line}" : File;
        return Key.Length == 0 ? $"{location}: {Problem}" : $"{location}: {Key}: {Problem}";
    }
}
