using System.Globalization;
using System.Text;
using System.Text.Json;
using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.HubSimulator.Python;

/// <summary>
/// Python's <c>json.loads</c>/<c>json.dumps</c> over the simulator's value model: objects → <see cref="XmlRpcStruct"/>
/// (member order kept), arrays → <c>object?[]</c>, integers → int or long, other numbers → double.
/// </summary>
internal static class PythonJson
{
    /// <exception cref="JsonException">Not valid JSON.</exception>
    public static object? Loads(string text)
    {
        using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 256 });
        return Convert(document.RootElement);
    }

    private static object? Convert(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => new XmlRpcStruct(element.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, Convert(p.Value)))),
        JsonValueKind.Array => element.EnumerateArray().Select(Convert).ToArray(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        JsonValueKind.Number => Number(element),
        _ => null,
    };

    private static object Number(JsonElement element)
    {
        var raw = element.GetRawText();
        if (raw.AsSpan().IndexOfAny(".eE") < 0)
        {
            if (element.TryGetInt32(out var i))
            {
                return i;
            }

            if (element.TryGetInt64(out var l))
            {
                return l;
            }
        }

        return element.GetDouble();
    }

    /// <summary><c>json.dumps(value, indent=…)</c>: indented (2) by default, Python's compact form for null.</summary>
    public static string Dumps(object? value, int? indent = 2)
    {
        var text = new StringBuilder();
        Write(text, value, 0, indent);
        return text.ToString();
    }

    private static void Open(StringBuilder text, int index, int depth, int? indent)
    {
        if (indent is { } n)
        {
            text.Append(index == 0 ? "\n" : ",\n").Append(' ', (depth + 1) * n);
        }
        else if (index > 0)
        {
            text.Append(", ");
        }
    }

    private static void Close(StringBuilder text, int depth, int? indent)
    {
        if (indent is { } n)
        {
            text.Append('\n').Append(' ', depth * n);
        }
    }

    private static void Write(StringBuilder text, object? value, int depth, int? indent)
    {
        switch (value)
        {
            case null:
                text.Append("null");
                break;
            case bool b:
                text.Append(b ? "true" : "false");
                break;
            case string s:
                text.Append(Quote(s));
                break;
            case int or long:
                text.Append(System.Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
            case double d:
                text.Append(PythonRepr.Float(d));
                break;
            case IEnumerable<KeyValuePair<string, object?>> map:
                var members = map.ToArray();
                if (members.Length == 0)
                {
                    text.Append("{}");
                    break;
                }

                text.Append('{');
                for (var i = 0; i < members.Length; i++)
                {
                    Open(text, i, depth, indent);
                    text.Append(Quote(members[i].Key)).Append(": ");
                    Write(text, members[i].Value, depth + 1, indent);
                }

                Close(text, depth, indent);
                text.Append('}');
                break;
            case object?[] list:
                if (list.Length == 0)
                {
                    text.Append("[]");
                    break;
                }

                text.Append('[');
                for (var i = 0; i < list.Length; i++)
                {
                    Open(text, i, depth, indent);
                    Write(text, list[i], depth + 1, indent);
                }

                Close(text, depth, indent);
                text.Append(']');
                break;
            default:
                text.Append(Quote(System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty));
                break;
        }
    }

    /// <summary>A JSON string as Python writes it (<c>ensure_ascii</c>: non-ASCII as <c>\uXXXX</c>).</summary>
    private static string Quote(string s)
    {
        var text = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
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
                case '\b':
                    text.Append("\\b");
                    break;
                case '\f':
                    text.Append("\\f");
                    break;
                default:
                    if (c < 0x20 || c > 0x7f)
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append('"').ToString();
    }
}
