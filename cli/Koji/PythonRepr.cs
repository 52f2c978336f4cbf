using System.Globalization;
using System.Numerics;
using System.Text;

namespace KojiComposer.Cli.Koji;

/// <summary>
/// Python's <c>repr()</c> of the values koji's CLI prints: the decoded XML-RPC values of a task result
/// (<c>print(session.getTaskResult(id))</c> in koji-osbuild's CLI plugin) and the scalars inside
/// <see cref="PythonPprint"/>'s output. Dicts keep their order (a Python dict made by xmlrpc.client keeps the wire
/// order) unless sorted, as pprint does. Lengths are counted in code points, as Python's <c>len</c> does.
/// </summary>
internal static class PythonRepr
{
    /// <summary>Python's string order: by code point (not by UTF-16 unit, which differs above U+FFFF).</summary>
    public static IComparer<string> CodePointOrder { get; } = Comparer<string>.Create(CompareCodePoints);

    /// <summary><c>repr(value)</c>; with <paramref name="sortDicts"/>, dict keys sorted as <c>pprint.saferepr</c> does.</summary>
    public static string Of(object? value, bool sortDicts = false)
    {
        var text = new StringBuilder();
        Append(text, value, sortDicts);
        return text.ToString();
    }

    /// <summary>Appends <c>repr(value)</c>.</summary>
    public static void Append(StringBuilder text, object? value, bool sortDicts)
    {
        switch (value)
        {
            case null:
                text.Append("None");
                return;
            case bool b:
                text.Append(b ? "True" : "False");
                return;
            case string s:
                text.Append(String(s));
                return;
            case int or long or short or byte or sbyte or ushort or uint or ulong or BigInteger:
                text.Append(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture));
                return;
            case double d:
                text.Append(Float(d));
                return;
            case float f:
                text.Append(Float(f));
                return;
            case byte[] bytes:
                AppendBytes(text, bytes);
                return;
            case DateTime time:
                // xmlrpc.client's DateTime object; koji never sends one (it sends strings).
                text.Append("<DateTime '").Append(time.ToString("yyyyMMdd'T'HH:mm:ss", CultureInfo.InvariantCulture)).Append("'>");
                return;
        }

        if (PythonValues.AsDict(value) is { } dict)
        {
            text.Append('{');
            var first = true;
            foreach (var (key, item) in sortDicts ? PythonValues.Sorted(dict) : dict)
            {
                text.Append(first ? "" : ", ");
                first = false;
                text.Append(String(key)).Append(": ");
                Append(text, item, sortDicts);
            }

            text.Append('}');
            return;
        }

        if (PythonValues.AsList(value) is { } list)
        {
            text.Append('[');
            for (var i = 0; i < list.Count; i++)
            {
                text.Append(i == 0 ? "" : ", ");
                Append(text, list[i], sortDicts);
            }

            text.Append(']');
            return;
        }

        text.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// A Python <c>str</c>'s repr: single quotes unless the text has a single quote and no double quote; backslash,
    /// the quote, <c>\t \n \r</c> escaped; other ASCII control characters as <c>\xNN</c>; non-ASCII kept when
    /// printable (<c>str.isprintable</c>), else <c>\xNN</c>, <c>\uNNNN</c> or <c>\UNNNNNNNN</c>.
    /// </summary>
    public static string String(string s)
    {
        var quote = s.Contains('\'', StringComparison.Ordinal) && !s.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var text = new StringBuilder(s.Length + 2).Append(quote);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == quote || c == '\\')
            {
                text.Append('\\').Append(c);
            }
            else if (c == '\t')
            {
                text.Append("\\t");
            }
            else if (c == '\n')
            {
                text.Append("\\n");
            }
            else if (c == '\r')
            {
                text.Append("\\r");
            }
            else if (c < ' ' || c == 0x7f)
            {
                text.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            }
            else if (c < 0x7f)
            {
                text.Append(c);
            }
            else
            {
                int codePoint = c;
                var units = 1;
                if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                {
                    codePoint = char.ConvertToUtf32(c, s[i + 1]);
                    units = 2;
                }

                if (IsPrintable(codePoint))
                {
                    text.Append(s, i, units);
                }
                else
                {
                    text.Append(codePoint switch
                    {
                        <= 0xff => "\\x" + codePoint.ToString("x2", CultureInfo.InvariantCulture),
                        <= 0xffff => "\\u" + codePoint.ToString("x4", CultureInfo.InvariantCulture),
                        _ => "\\U" + codePoint.ToString("x8", CultureInfo.InvariantCulture),
                    });
                }

                i += units - 1;
            }
        }

        return text.Append(quote).ToString();
    }

    /// <summary>
    /// A Python <c>float</c>'s repr: the shortest digits that round-trip, positional when the decimal exponent is
    /// from -4 to 15 (always with a digit after the point: <c>5.0</c>), else <c>1e+16</c>, <c>1.5e-05</c>.
    /// </summary>
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

        var sign = double.IsNegative(d) ? "-" : "";
        if (d == 0)
        {
            return sign + "0.0";
        }

        var (digits, point) = ShortestDigits(Math.Abs(d).ToString("R", CultureInfo.InvariantCulture));
        if (point is < -3 or > 16)
        {
            var mantissa = digits.Length == 1 ? digits : digits[..1] + "." + digits[1..];
            var exponent = point - 1;
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        }

        if (point <= 0)
        {
            return sign + "0." + new string('0', -point) + digits;
        }

        return point >= digits.Length
            ? sign + digits + new string('0', point - digits.Length) + ".0"
            : sign + digits[..point] + "." + digits[point..];
    }

    /// <summary>Python's <c>len</c> of a str: code points (a surrogate pair is one).</summary>
    public static int Length(string s)
    {
        var length = s.Length;
        for (var i = 0; i + 1 < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && char.IsLowSurrogate(s[i + 1]))
            {
                length--;
                i++;
            }
        }

        return length;
    }

    /// <summary>Compares two strings by code point, as Python compares str.</summary>
    public static int CompareCodePoints(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return a is null ? (b is null ? 0 : -1) : 1;
        }

        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            var x = CodePointAt(a, ref i);
            var y = CodePointAt(b, ref j);
            if (x != y)
            {
                return x < y ? -1 : 1;
            }
        }

        return (i < a.Length ? 1 : 0) - (j < b.Length ? 1 : 0);
    }

    private static int CodePointAt(string s, ref int i)
    {
        var c = s[i++];
        if (char.IsHighSurrogate(c) && i < s.Length && char.IsLowSurrogate(s[i]))
        {
            return char.ConvertToUtf32(c, s[i++]);
        }

        return c;
    }

    // str.isprintable: everything but the "Other" and "Separator" categories, except the ASCII space.
    private static bool IsPrintable(int codePoint)
    {
        if (codePoint is >= 0xd800 and <= 0xdfff)
        {
            return false; // a lone surrogate
        }

        return Rune.GetUnicodeCategory(new Rune(codePoint)) switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.SpaceSeparator => false,
            _ => true,
        };
    }

    // "1.2345E+17" / "123.45" / "0.0001" / "5" → significant digits without leading or trailing zeros, and where
    // the decimal point goes (value = 0.DIGITS × 10^point).
    private static (string Digits, int Point) ShortestDigits(string roundTrip)
    {
        var exponent = 0;
        var e = roundTrip.IndexOfAny(['E', 'e']);
        var mantissa = roundTrip;
        if (e >= 0)
        {
            exponent = int.Parse(roundTrip.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            mantissa = roundTrip[..e];
        }

        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integerDigits = dot < 0 ? mantissa.Length : dot;
        var all = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
        var leading = all.Length - all.TrimStart('0').Length;
        var digits = all.Trim('0');
        return (digits, integerDigits - leading + exponent);
    }

    private static void AppendBytes(StringBuilder text, byte[] bytes)
    {
        var quote = bytes.Contains((byte)'\'') && !bytes.Contains((byte)'"') ? '"' : '\'';
        text.Append('b').Append(quote);
        foreach (var b in bytes)
        {
            switch (b)
            {
                case (byte)'\\': text.Append("\\\\"); break;
                case (byte)'\t': text.Append("\\t"); break;
                case (byte)'\n': text.Append("\\n"); break;
                case (byte)'\r': text.Append("\\r"); break;
                default:
                    if (b == quote)
                    {
                        text.Append('\\').Append((char)b);
                    }
                    else if (b is < 0x20 or >= 0x7f)
                    {
                        text.Append("\\x").Append(b.ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append((char)b);
                    }

                    break;
            }
        }

        text.Append(quote);
    }
}
