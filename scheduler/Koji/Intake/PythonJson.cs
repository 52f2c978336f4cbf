using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KojiComposer.Scheduler.Koji.Intake;

/// <summary>JSON text as Python's <c>json.dumps(value, indent=4, sort_keys=True)</c> writes it (4-space indent, keys
/// sorted by code point, <c>", "</c>/<c>": "</c> separators as Python 3 with indent, non-ASCII as <c>\uXXXX</c>
/// (surrogate pairs for astral characters), no trailing newline).</summary>
public static class PythonJson
{
    private const string Indent = "    ";

    /// <summary>The text of <paramref name="value"/>.</summary>
    public static string Serialize(JsonNode? value)
    {
        var sb = new StringBuilder();
        Write(sb, value, 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, JsonNode? node, int depth)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject obj when obj.Count == 0:
                sb.Append("{}");
                break;
            case JsonObject obj:
                sb.Append('{');
                var first = true;
                foreach (var (key, value) in obj.OrderBy(p => p.Key, CodePointComparer.Instance))
                {
                    sb.Append(first ? "\n" : ",\n");
                    first = false;
                    NewLine(sb, depth + 1);
                    WriteString(sb, key);
                    sb.Append(": ");
                    Write(sb, value, depth + 1);
                }

                sb.Append('\n');
                NewLine(sb, depth);
                sb.Append('}');
                break;
            case JsonArray array when array.Count == 0:
                sb.Append("[]");
                break;
            case JsonArray array:
                sb.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    sb.Append(i == 0 ? "\n" : ",\n");
                    NewLine(sb, depth + 1);
                    Write(sb, array[i], depth + 1);
                }

                sb.Append('\n');
                NewLine(sb, depth);
                sb.Append(']');
                break;
            case JsonValue value:
                WriteValue(sb, value);
                break;
        }
    }

    private static void NewLine(StringBuilder sb, int depth)
    {
        for (var i = 0; i < depth; i++)
        {
            sb.Append(Indent);
        }
    }

    private static void WriteValue(StringBuilder sb, JsonValue value)
    {
        if (value.TryGetValue<JsonElement>(out var element))
        {
            WriteElement(sb, element);
            return;
        }

        if (value.TryGetValue<double>(out var d))
        {
            sb.Append(Float(d));
            return;
        }

        if (value.TryGetValue<float>(out var f))
        {
            sb.Append(Float(f));
            return;
        }

        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                WriteString(sb, value.TryGetValue<string>(out var s) ? s : JsonSerializer.Deserialize<string>(value.ToJsonString())!);
                break;
            default:
                // Numbers (any CLR integer type, decimals, doubles), booleans and null: as their JSON element.
                WriteElement(sb, JsonSerializer.Deserialize<JsonElement>(value.ToJsonString()));
                break;
        }
    }

    private static void WriteElement(StringBuilder sb, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                WriteString(sb, element.GetString()!);
                break;
            case JsonValueKind.Number:
                // json.loads makes a float of a literal with a fraction or exponent and an int of the rest.
                var text = element.GetRawText();
                if (text.AsSpan().IndexOfAny(".eE") >= 0)
                {
                    sb.Append(Float(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)));
                }
                else
                {
                    sb.Append(text is "-0" ? "0" : text);
                }

                break;
            case JsonValueKind.True:
                sb.Append("true");
                break;
            case JsonValueKind.False:
                sb.Append("false");
                break;
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                sb.Append("null");
                break;
            default:
                Write(sb, JsonNode.Parse(element.GetRawText()), 0);
                break;
        }
    }

    /// <summary>Python's <c>float.__repr__</c>: the shortest digits that round-trip, fixed notation for decimal
    /// exponents -4 to 15 (always with a fraction, <c>1.0</c>), else <c>1.5e+16</c>; json writes NaN and the
    /// infinities as <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>.</summary>
    internal static string Float(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }

        // .NET's "R" is also the shortest round-trip form; only its notation differs. Take its digits and exponent.
        var r = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var e = r.IndexOfAny(['E', 'e']);
        var mantissa = e < 0 ? r : r[..e];
        var exponent = e < 0 ? 0 : int.Parse(r[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        var integerDigits = point < 0 ? mantissa.Length : point;
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');

        // value = 0.d1d2d3... x 10^decimalPoint
        var decimalPoint = integerDigits - leadingZeros + exponent;
        var exp10 = decimalPoint - 1;
        var sb = new StringBuilder();
        if (value < 0)
        {
            sb.Append('-');
        }

        if (exp10 is >= -4 and < 16)
        {
            if (decimalPoint <= 0)
            {
                sb.Append("0.").Append('0', -decimalPoint).Append(digits);
            }
            else if (digits.Length <= decimalPoint)
            {
                sb.Append(digits).Append('0', decimalPoint - digits.Length).Append(".0");
            }
            else
            {
                sb.Append(digits, 0, decimalPoint).Append('.').Append(digits, decimalPoint, digits.Length - decimalPoint);
            }
        }
        else
        {
            sb.Append(digits[0]);
            if (digits.Length > 1)
            {
                sb.Append('.').Append(digits, 1, digits.Length - 1);
            }

            sb.Append('e').Append(exp10 < 0 ? '-' : '+').Append(Math.Abs(exp10).ToString("00", CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    /// <summary>A string as json.dumps with <c>ensure_ascii</c>: <c>\"</c>, <c>\\</c>, <c>\n \r \t \b \f</c>, and
    /// <c>\u00XX</c> (lower-case hex) for everything outside printable ASCII, UTF-16 units one by one (so astral
    /// characters become surrogate pairs).</summary>
    private static void WriteString(StringBuilder sb, string text)
    {
        sb.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append(@"\\"); break;
                case '\n': sb.Append(@"\n"); break;
                case '\r': sb.Append(@"\r"); break;
                case '\t': sb.Append(@"\t"); break;
                case '\b': sb.Append(@"\b"); break;
                case '\f': sb.Append(@"\f"); break;
                default:
                    if (c is >= ' ' and <= '~')
                    {
                        sb.Append(c);
                    }
                    else
                    {
                        sb.Append(@"\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }

                    break;
            }
        }

        sb.Append('"');
    }

    /// <summary>Python's <c>str</c> order (code points): a surrogate pair is its astral character, a lone surrogate
    /// its own code point (U+D800-U+DFFF, below U+E000), which plain UTF-16 order gets wrong.</summary>
    private sealed class CodePointComparer : IComparer<string>
    {
        public static readonly CodePointComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            if (x is null || y is null)
            {
                return x is null ? (y is null ? 0 : -1) : 1;
            }

            int i = 0, j = 0;
            while (i < x.Length && j < y.Length)
            {
                var a = CodePoint(x, ref i);
                var b = CodePoint(y, ref j);
                if (a != b)
                {
                    return a < b ? -1 : 1;
                }
            }

            return (x.Length - i).CompareTo(y.Length - j);
        }

        private static int CodePoint(string text, ref int index)
        {
            var c = text[index++];
            if (char.IsHighSurrogate(c) && index < text.Length && char.IsLowSurrogate(text[index]))
            {
                return char.ConvertToUtf32(c, text[index++]);
            }

            return c;
        }
    }
}
