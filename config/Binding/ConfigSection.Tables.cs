using System.Globalization;
using System.Text.RegularExpressions;
using KojiComposer.Config.Toml;
using Tomlyn.Syntax;

namespace KojiComposer.Config.Binding;

internal sealed partial class ConfigSection
{
    private static readonly IReadOnlyList<(string Unit, long Factor)> SizeUnits =
    [
        ("B", 1),
        ("kB", 1000), ("KB", 1000), ("MB", 1000L * 1000), ("GB", 1000L * 1000 * 1000), ("TB", 1000L * 1000 * 1000 * 1000),
        ("KiB", 1024), ("MiB", 1024L * 1024), ("GiB", 1024L * 1024 * 1024), ("TiB", 1024L * 1024 * 1024 * 1024),
    ];

    /// <summary>Every entry of this section as a string (an environment table such as <c>[builder.environment]</c>);
    /// each entry becomes a known key, and one that is not a string is reported by its type only, never its value
    /// (environment values may hold credentials).</summary>
    public IReadOnlyDictionary<string, string> StringEntries()
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        if (_table is null)
        {
            return entries;
        }

        foreach (var name in _table.Entries.Keys.ToList())
        {
            if (String(name) is { } value)
            {
                entries[name] = value;
            }
        }

        return entries;
    }

    /// <summary>A size in bytes: a non-negative integer, a string with a unit (<c>"20GiB"</c>, <c>"500MB"</c>: SI
    /// units are powers of 1000, IEC units of 1024), or <c>"unlimited"</c> (null). Absent keys give
    /// <paramref name="defaultValue"/>.</summary>
    public long? SizeOrUnlimited(string key, long? defaultValue)
    {
        switch (Entry(key))
        {
            case null:
                return defaultValue;
            case TomlValueNode { Syntax: IntegerValueSyntax { Value: >= 0 } bytes }:
                return bytes.Value;
            case TomlValueNode { Syntax: IntegerValueSyntax bytes }:
                Error(key, $"must not be negative, got {bytes.Value.ToString(CultureInfo.InvariantCulture)}");
                return defaultValue;
            case TomlValueNode { Syntax: StringValueSyntax { Value: { } text } }:
                if (string.Equals(text, "unlimited", StringComparison.Ordinal))
                {
                    return null;
                }

                if (ParseSize(text) is { } size)
                {
                    return size;
                }

                Error(key, $"must be a size like \"20GiB\" or \"500MB\" (B, kB, MB, GB, TB, KiB, MiB, GiB, TiB), bytes as an integer, or \"unlimited\"; got {ConfigText.Quote(text)}");
                return defaultValue;
            case var other:
                WrongType(key, other, "a size (an integer of bytes, or a string like \"20GiB\" or \"unlimited\")");
                return defaultValue;
        }
    }

    private static long? ParseSize(string text)
    {
        var match = SizePattern().Match(text);
        if (!match.Success || !long.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }

        var unit = match.Groups["unit"].Value;
        var factor = unit.Length == 0 ? 1 : SizeUnits.FirstOrDefault(u => string.Equals(u.Unit, unit, StringComparison.Ordinal)).Factor;
        if (factor == 0)
        {
            return null;
        }

        try
        {
            return checked(number * factor);
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^\s*(?<n>[0-9]+)\s*(?<unit>[A-Za-z]*)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();
}
