using System.Globalization;
using KojiComposer.Config.Toml;
using Tomlyn.Syntax;

namespace KojiComposer.Config.Binding;

internal sealed partial class ConfigSection
{
    /// <summary>A string, or null when absent or not a string.</summary>
    public string? String(string key) => TryRead<StringValueSyntax>(key, "a string", out var value) ? value.Value : null;

    /// <summary>A non-empty string; absent keys give <paramref name="defaultValue"/>.</summary>
    public string NonEmptyString(string key, string defaultValue)
    {
        var value = String(key);
        if (value is null)
        {
            return defaultValue;
        }

        if (value.Trim().Length == 0)
        {
            Error(key, "must not be empty");
            return defaultValue;
        }

        return value;
    }

    /// <summary>A boolean; absent keys give <paramref name="defaultValue"/>.</summary>
    public bool Boolean(string key, bool defaultValue) =>
        TryRead<BooleanValueSyntax>(key, "a boolean", out var value) ? value.Value : defaultValue;

    /// <summary>An integer within [<paramref name="min"/>, <paramref name="max"/>]; absent keys give
    /// <paramref name="defaultValue"/>. <paramref name="describe"/> renders the bounds in the error (sizes).</summary>
    public int Integer(string key, int defaultValue, int min, int max, Func<long, string>? describe = null)
    {
        if (!TryRead<IntegerValueSyntax>(key, "an integer", out var value))
        {
            return defaultValue;
        }

        if (value.Value < min || value.Value > max)
        {
            describe ??= n => n.ToString(CultureInfo.InvariantCulture);
            Error(key, $"must be between {describe(min)} and {describe(max)}, got {describe(value.Value)}");
            return defaultValue;
        }

        return (int)value.Value;
    }

    /// <summary>A duration in seconds within [<paramref name="min"/>, <paramref name="max"/>]; integers and floats
    /// are both accepted (<c>30</c> and <c>30.0</c>).</summary>
    public TimeSpan Seconds(string key, TimeSpan defaultValue, double min, double max)
    {
        double seconds;
        switch (Entry(key))
        {
            case null:
                return defaultValue;
            case TomlValueNode { Syntax: FloatValueSyntax number }:
                seconds = number.Value;
                break;
            case TomlValueNode { Syntax: IntegerValueSyntax number }:
                seconds = number.Value;
                break;
            case var other:
                WrongType(key, other, "a number");
                return defaultValue;
        }

        if (!double.IsFinite(seconds) || seconds < min || seconds > max)
        {
            Error(key, $"must be between {ConfigText.Number(min)} and {ConfigText.Number(max)} seconds, got {ConfigText.Number(seconds)}");
            return defaultValue;
        }

        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>One of a fixed set of (case-sensitive) words; absent keys give <paramref name="defaultValue"/>.</summary>
    public T Choice<T>(string key, T defaultValue, IReadOnlyList<(string Name, T Value)> choices)
    {
        var text = String(key);
        if (text is null)
        {
            return defaultValue;
        }

        foreach (var (name, value) in choices)
        {
            if (string.Equals(name, text, StringComparison.Ordinal))
            {
                return value;
            }
        }

        var names = choices.Select(c => c.Name).ToList();
        var suggestion = ClosestMatch.Find(text, names);
        var problem = $"must be one of {string.Join(", ", names.Select(ConfigText.Quote))}, got {ConfigText.Quote(text)}";
        Error(key, suggestion is null ? problem : $"{problem}; did you mean {ConfigText.Quote(suggestion)}?");
        return defaultValue;
    }
}
