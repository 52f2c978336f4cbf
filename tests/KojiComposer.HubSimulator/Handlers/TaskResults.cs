using System.Text;
using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.HubSimulator.Handlers;

/// <summary>
/// How the hub reads a stored task result back (koji <c>Task.getResult</c>, koji-wire.md §9.5): text that has no
/// <c>&lt;?xml</c> within its first 10 characters is base64 of the document (Python's lenient
/// <c>base64.b64decode</c>), then the methodResponse is parsed: a fault document raises that fault, a params document
/// gives its value. Decoding and parse errors come out as the Python exceptions the hub answers with (code 1).
/// </summary>
internal static class TaskResults
{
    private const string Base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// <summary>The stored value of a result argument (the <c>result</c> column is text; psycopg2 adapts the value).</summary>
    public static string? Storable(object? response) => response switch
    {
        string s => s,
        null => null,
        XmlRpcStruct => throw HubFault.Python("psycopg2.ProgrammingError", "can't adapt type 'dict'"),
        _ => Python.PythonRepr.Of(response),
    };

    /// <summary>Parses a stored result: the value, or the stored fault as <see cref="XmlRpcFault"/>.</summary>
    /// <exception cref="HubFault">The text is not a methodResponse document (base64 or XML errors, code 1).</exception>
    public static (object? Value, XmlRpcFault? Fault) Parse(string? stored)
    {
        if (stored is null)
        {
            throw HubFault.Python("AttributeError", "'NoneType' object has no attribute 'find'");
        }

        byte[] document;
        var declaration = stored.IndexOf("<?xml", 0, Math.Min(10, stored.Length), StringComparison.Ordinal);
        if (declaration < 0)
        {
            document = DecodeBase64(stored);
            var text = Encoding.UTF8.GetString(document);
            declaration = text.IndexOf("<?xml", StringComparison.Ordinal);
            stored = text;
        }
        else
        {
            document = Encoding.UTF8.GetBytes(stored);
        }

        if (declaration > 0)
        {
            // expat refuses a declaration anywhere but at the very start, naming where it found it.
            var before = stored[..declaration];
            var line = before.Count(c => c == '\n') + 1;
            var column = declaration - (before.LastIndexOf('\n') + 1);
            throw HubFault.Python("xml.parsers.expat.ExpatError", $"XML or text declaration not at start of entity: line {line}, column {column}");
        }

        XmlRpcResponse response;
        try
        {
            response = XmlRpcReader.ReadResponse(document);
        }
        catch (XmlRpcFormatException e)
        {
            throw HubFault.Python("xml.parsers.expat.ExpatError", e.Message);
        }

        return (response.Value, response.Fault);
    }

    /// <summary>
    /// Python <c>binascii.a2b_base64</c> in its default, non-strict mode: characters outside the alphabet are
    /// skipped; a count of data characters one more than a multiple of 4, or missing padding, is an error.
    /// </summary>
    private static byte[] DecodeBase64(string text)
    {
        var data = new StringBuilder();
        var pads = 0;
        foreach (var c in text)
        {
            if (c == '=')
            {
                pads++;
            }
            else if (Base64Alphabet.Contains(c, StringComparison.Ordinal) && pads == 0)
            {
                data.Append(c);
            }
        }

        var remainder = data.Length % 4;
        if (remainder == 1)
        {
            throw HubFault.Python("binascii.Error", $"Invalid base64-encoded string: number of data characters ({data.Length}) cannot be 1 more than a multiple of 4");
        }

        if (remainder != 0 && pads < 4 - remainder)
        {
            throw HubFault.Python("binascii.Error", "Incorrect padding");
        }

        data.Append('=', remainder == 0 ? 0 : 4 - remainder);
        return Convert.FromBase64String(data.ToString());
    }
}
