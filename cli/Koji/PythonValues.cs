using System.Collections;

namespace KojiComposer.Cli.Koji;

/// <summary>Which decoded XML-RPC values are Python dicts and lists (<see cref="PythonRepr"/>, <see cref="PythonPprint"/>).</summary>
internal static class PythonValues
{
    /// <summary>A dict: an XML-RPC struct (or any string-keyed dictionary), in its enumeration order.</summary>
    public static IReadOnlyCollection<KeyValuePair<string, object?>>? AsDict(object? value) => value switch
    {
        IReadOnlyDictionary<string, object?> d => d,
        IDictionary<string, object?> d => d.ToArray(),
        _ => null,
    };

    /// <summary>A list: an XML-RPC array (or any list of values that is not a string or bytes).</summary>
    public static IReadOnlyList<object?>? AsList(object? value) => value switch
    {
        object?[] array => array,
        IReadOnlyList<object?> list => list,
        string or byte[] => null,
        IEnumerable items when value is not IDictionary => items.Cast<object?>().ToArray(),
        _ => null,
    };

    /// <summary>Python's <c>str.isspace</c> (what <c>\s</c> matches in a str pattern): .NET's white space plus the
    /// separators \x1c-\x1f.</summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is >= '\x1c' and <= '\x1f';

    /// <summary>Python's <c>str.strip()</c>.</summary>
    public static string Strip(string s)
    {
        int start = 0, end = s.Length;
        while (start < end && IsSpace(s[start]))
        {
            start++;
        }

        while (end > start && IsSpace(s[end - 1]))
        {
            end--;
        }

        return s[start..end];
    }

    /// <summary>The items sorted by key as pprint does (<c>sorted(d.items())</c>; str keys compare by code point).</summary>
    public static IEnumerable<KeyValuePair<string, object?>> Sorted(IEnumerable<KeyValuePair<string, object?>> dict) =>
        dict.OrderBy(p => p.Key, PythonRepr.CodePointOrder);
}
