using System.Globalization;
using System.Text;
using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.HubSimulator.Python;

/// <summary>
/// Python's <c>repr()</c> of decoded XML-RPC values, for the hub texts that embed one with <c>%r</c>
/// (<c>Build already exists (id=N, state=COMPLETE): {…}</c>, <c>No such build: {…}</c>, <c>Invalid json data: '…'</c>,
/// jsonschema messages).
/// </summary>
internal static class PythonRepr
{
    public static string Of(object? value)
    {
        var text = new StringBuilder();
        Append(text, value);
        return text.ToString();
    }

    private static void Append(StringBuilder text, object? value)
    {
        switch (value)
        {
            case null:
                text.Append("None");
                break;
            case bool b:
                text.Append(b ? "True" : "False");
                break;
            case string s:
                AppendString(text, s);
                break;
            case int or long:
                text.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
            case double d:
                text.Append(Float(d));
                break;
            case IEnumerable<KeyValuePair<string, object?>> map:
                text.Append('{');
                var first = true;
                foreach (var (key, item) in map)
                {
                    text.Append(first ? string.Empty : ", ");
                    first = false;
                    AppendString(text, key);
                    text.Append(": ");
                    Append(text, item);
                }

                text.Append('}');
                break;
            case object?[] list:
                text.Append('[');
                for (var i = 0; i < list.Length; i++)
                {
                    text.Append(i == 0 ? string.Empty : ", ");
                    Append(text, list[i]);
                }

                text.Append(']');
                break;
            case byte[] bytes:
                text.Append("b'").Append(Encoding.Latin1.GetString(bytes)).Append('\'');
                break;
            default:
                text.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>Python's float repr: shortest round-trip digits, always with a dot or exponent.</summary>
    public static string Float(double d)
    {
        if (double.IsNaN(d))
        {
            return "nan";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? "inf" : "-inf";
        }

        var s = d.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.', StringComparison.Ordinal) || s.Contains('E', StringComparison.Ordinal) ? s.Replace("E+", "e+", StringComparison.Ordinal).Replace("E-", "e-", StringComparison.Ordinal) : s + ".0";
    }

    /// <summary>Single quotes unless the text has a single quote and no double quote; escapes as Python does.</summary>
    private static void AppendString(StringBuilder text, string s)
    {
        var quote = s.Contains('\'', StringComparison.Ordinal) && !s.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        text.Append(quote);
        foreach (var c in s)
        {
            switch (c)
            {
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                default:
                    if (c == quote)
                    {
                        text.Append('\\').Append(c);
                    }
                    else if (c < 0x20 || c == 0x7f)
                    {
                        text.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        text.Append(quote);
    }

    /// <summary>A struct whose members are given in order (a Python dict literal).</summary>
    public static XmlRpcStruct Dict(params (string Key, object? Value)[] members)
    {
        var s = new XmlRpcStruct(members.Length);
        foreach (var (key, value) in members)
        {
            s[key] = value;
        }

        return s;
    }
}
