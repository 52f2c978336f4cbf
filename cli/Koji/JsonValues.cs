using System.Globalization;
using System.Text;
using System.Text.Json;
using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.Cli.Koji;

/// <summary>
/// JSON to and from the values the XML-RPC writer sends. Reading gives what Python's <c>json.load</c> gives and
/// xmlrpc.client then marshals (koji-osbuild's CLI loads <c>--customizations</c> and <c>--upload-options</c> that
/// way): an object becomes a struct with its members in file order (a repeated name keeps its first place and its
/// last value, like a Python dict), an array an array, a number with a fraction or exponent a double, any other
/// number an int (<c>&lt;i8&gt;</c> outside 32 bits), true/false a boolean, null nil.
/// </summary>
internal static class JsonValues
{
    /// <summary>Reads a JSON file for <paramref name="option"/>.</summary>
    /// <exception cref="JsonFileException">The file cannot be read, is not JSON, or holds an integer XML-RPC cannot
    /// carry; the message names the option, the file and the place.</exception>
    public static object? LoadFile(string option, string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = e switch
            {
                FileNotFoundException or DirectoryNotFoundException => "no such file",
                UnauthorizedAccessException => "permission denied",
                _ => e.Message,
            };
            throw new JsonFileException($"{option} {path}: cannot read the file: {reason}");
        }

        // A UTF-8 byte order mark is tolerated (Python's json.load refuses it, to no one's benefit).
        if (bytes.AsSpan().StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        try
        {
            return Parse(bytes);
        }
        catch (JsonException e)
        {
            var line = (e.LineNumber ?? 0) + 1;
            var column = Column(bytes, e.LineNumber ?? 0, e.BytePositionInLine ?? 0);
            throw new JsonFileException($"{option} {path}: not valid JSON at line {line}, column {column}: {Reason(e.Message)}");
        }
        catch (OverflowException e)
        {
            throw new JsonFileException($"{option} {path}: {e.Message}");
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json's reader gives these only when a string is turned into text.
            throw new JsonFileException($"{option} {path}: not valid JSON: a string in it is not Unicode text (bytes that are not UTF-8, or an unpaired surrogate escape such as \\ud800); save the file as UTF-8");
        }
    }

    /// <summary>Parses a JSON document.</summary>
    /// <exception cref="JsonException">Not JSON.</exception>
    /// <exception cref="OverflowException">An integer outside 64 bits (xmlrpc.client cannot send it either).</exception>
    public static object? Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        if (!reader.Read())
        {
            throw new JsonException("unreachable: the reader throws for an empty document");
        }

        var value = ReadValue(ref reader);
        if (reader.Read())
        {
            throw new JsonException("unreachable: the reader throws for trailing data");
        }

        return value;
    }

    /// <summary>Writes a decoded XML-RPC value as JSON (structs as objects in their order, base64 as a base64
    /// string, a non-finite double as its Python repr string).</summary>
    public static void Write(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                return;
            case string s:
                json.WriteStringValue(s);
                return;
            case bool b:
                json.WriteBooleanValue(b);
                return;
            case int i:
                json.WriteNumberValue(i);
                return;
            case long l:
                json.WriteNumberValue(l);
                return;
            case double d when double.IsFinite(d):
                json.WriteNumberValue(d);
                return;
            case double d:
                json.WriteStringValue(PythonRepr.Float(d));
                return;
            case byte[] bytes:
                json.WriteBase64StringValue(bytes);
                return;
            case DateTime time:
                json.WriteStringValue(time);
                return;
        }

        if (PythonValues.AsDict(value) is { } dict)
        {
            json.WriteStartObject();
            foreach (var (key, item) in dict)
            {
                json.WritePropertyName(key);
                Write(json, item);
            }

            json.WriteEndObject();
            return;
        }

        if (PythonValues.AsList(value) is { } list)
        {
            json.WriteStartArray();
            foreach (var item in list)
            {
                Write(json, item);
            }

            json.WriteEndArray();
            return;
        }

        json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
    }

    private static object? ReadValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var members = new XmlRpcStruct();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString()!;
                    reader.Read();
                    members[name] = ReadValue(ref reader);
                }

                return members;
            case JsonTokenType.StartArray:
                var items = new List<object?>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader));
                }

                return items.ToArray();
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                return Number(ref reader);
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            default:
                return null;
        }
    }

    private static object Number(ref Utf8JsonReader reader)
    {
        var raw = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray();
        var text = Encoding.ASCII.GetString(raw);
        if (text.AsSpan().IndexOfAny(".eE") >= 0)
        {
            // Python's float(): correctly rounded; beyond the double range it is inf.
            return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return l is >= int.MinValue and <= int.MaxValue ? (object)(int)l : l;
        }

        throw new OverflowException($"the integer {text} does not fit in 64 bits, the most XML-RPC can carry");
    }

    // System.Text.Json's message ends with its own 0-based position (ours is 1-based, in front); two of its texts
    // speak of reader settings instead of the file.
    private static string Reason(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var reason = (cut >= 0 ? message[..cut] : message).TrimEnd();
        if (reason.Contains("trailing comma", StringComparison.Ordinal))
        {
            return "a comma after the last item (JSON allows none there)";
        }

        if (reason.StartsWith("The input does not contain any JSON tokens", StringComparison.Ordinal))
        {
            return "the file holds no JSON value";
        }

        return reason.EndsWith('.') ? reason[..^1] : reason;
    }

    // The 1-based character column of a byte offset in a 0-based line.
    private static long Column(byte[] bytes, long line, long byteInLine)
    {
        var start = 0;
        for (long seen = 0; seen < line && start < bytes.Length; start++)
        {
            if (bytes[start] == (byte)'\n')
            {
                seen++;
            }
        }

        var length = (int)Math.Min(byteInLine, bytes.Length - start);
        return Encoding.UTF8.GetCharCount(bytes, start, Math.Max(0, length)) + 1;
    }
}

/// <summary>A JSON file given on the command line cannot be used; the message says which and why.</summary>
internal sealed class JsonFileException(string message) : Exception(message);
