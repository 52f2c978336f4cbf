using System.Globalization;
using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.HubSimulator.Python;

/// <summary>
/// Python semantics the hub's code relies on when it walks decoded data: <c>d[key]</c> (KeyError), truth, equality
/// across int and float, <c>str()</c>, <c>os.path.normpath</c>; the errors come out as the hub answers them (code 1).
/// </summary>
internal static class Py
{
    /// <summary><c>value[key]</c> on something that should be a dict.</summary>
    public static object? Get(object? value, string key) => value switch
    {
        XmlRpcStruct d => d.TryGetValue(key, out var v) ? v : throw HubFault.Python("KeyError", PythonRepr.Of(key)),
        object?[] => throw HubFault.Python("TypeError", "list indices must be integers or slices, not str"),
        null => throw HubFault.Python("TypeError", "'NoneType' object is not subscriptable"),
        _ => throw HubFault.Python("TypeError", $"'{Arguments.Python(value)}' object is not subscriptable"),
    };

    /// <summary><c>value.get(key, fallback)</c>.</summary>
    public static object? GetOr(object? value, string key, object? fallback = null) => value switch
    {
        XmlRpcStruct d => d.TryGetValue(key, out var v) ? v : fallback,
        _ => throw HubFault.Python("AttributeError", $"'{Arguments.Python(value)}' object has no attribute 'get'"),
    };

    public static XmlRpcStruct Dict(object? value) =>
        value as XmlRpcStruct ?? throw HubFault.Python("AttributeError", $"'{Arguments.Python(value)}' object has no attribute 'get'");

    /// <summary>Iterating a value as a list.</summary>
    public static object?[] List(object? value) => value switch
    {
        object?[] list => list,
        XmlRpcStruct d => d.Keys.Cast<object?>().ToArray(),
        _ => throw HubFault.Python("TypeError", $"'{Arguments.Python(value)}' object is not iterable"),
    };

    public static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        int i => i != 0,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        XmlRpcStruct d => d.Count > 0,
        object?[] a => a.Length > 0,
        _ => true,
    };

    /// <summary>A hashable key with Python's numeric equality (1 == 1.0 == True).</summary>
    public static object? Key(object? value) => value switch
    {
        bool b => b ? 1L : 0L,
        int i => (long)i,
        long l => l,
        double d when d == Math.Floor(d) && Math.Abs(d) < 9e15 => (long)d,
        _ => value,
    };

    public static bool Eq(object? a, object? b) => Equals(Key(a), Key(b));

    /// <summary><c>str(value)</c>.</summary>
    public static string Str(object? value) => value is string s ? s : PythonRepr.Of(value);

    /// <summary><c>int(value)</c> for numbers and digit strings.</summary>
    public static long Int(object? value) => value switch
    {
        int i => i,
        long l => l,
        double d => (long)d,
        bool b => b ? 1 : 0,
        string s when long.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        string s => throw HubFault.Python("ValueError", $"invalid literal for int() with base 10: {PythonRepr.Of(s)}"),
        _ => throw HubFault.Python("TypeError", $"int() argument must be a string, a bytes-like object or a real number, not '{Arguments.Python(value)}'"),
    };

    /// <summary><c>float(value)</c>.</summary>
    public static double Float(object? value) => value switch
    {
        int i => i,
        long l => l,
        double d => d,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) => x,
        string s => throw HubFault.Python("ValueError", $"could not convert string to float: {PythonRepr.Of(s)}"),
        _ => throw HubFault.Python("TypeError", $"float() argument must be a string or a real number, not '{Arguments.Python(value)}'"),
    };

    /// <summary><c>os.path.normpath</c> for relative paths.</summary>
    public static string NormPath(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == ".." && parts.Count > 0 && parts[^1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else
            {
                parts.Add(part);
            }
        }

        var joined = string.Join('/', parts);
        return path.StartsWith('/') ? "/" + joined : joined.Length == 0 ? "." : joined;
    }

    /// <summary>koji.util <c>joinpath</c>: the segments normalised, none of them climbing out or absolute.</summary>
    public static string JoinPath(string root, params string[] segments)
    {
        var normalized = new List<string> { root };
        foreach (var segment in segments)
        {
            var p = NormPath(segment);
            if (p == ".." || p.StartsWith("../", StringComparison.Ordinal) || p.StartsWith('/'))
            {
                throw HubFault.Python("ValueError", $"Invalid path segment: {segment}");
            }

            normalized.Add(p);
        }

        return string.Join('/', normalized);
    }
}
