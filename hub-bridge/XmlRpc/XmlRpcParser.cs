using System.Buffers;
using System.Globalization;
using System.Text;

namespace KojiComposer.HubBridge.XmlRpc;

/// <summary>
/// A hand-written XML-RPC parser over a UTF-8 document held in memory. It understands exactly the XML that XML-RPC
/// needs (elements, attributes it ignores, character data, the five predefined entities, character references,
/// CDATA, comments and processing instructions) and refuses everything else — in particular any DTD, so entity
/// expansion and external resolution cannot happen (koji-wire.md §2). Hand-written rather than XmlReader because it
/// decodes Koji replies several times faster (see bench/KojiComposer.Benchmarks) and every error can say exactly
/// what and where. Containers are parsed recursively, bounded by <see cref="XmlRpcReaderOptions.MaxDepth"/>.
/// </summary>
internal ref partial struct XmlRpcParser
{
    // Bytes that can never appear in an XML 1.0 document (Char production, XML 1.0 §2.2).
    private static readonly SearchValues<byte> ForbiddenBytes = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]);

    private readonly ReadOnlySpan<byte> _doc;
    private readonly XmlRpcReaderOptions _options;
    private readonly string _kind;
    private readonly int _maxString;
    private readonly ParserScratch _scratch;
    private int _pos;
    private int _nesting;
    private int _nameOffset;

    private XmlRpcParser(ReadOnlySpan<byte> document, XmlRpcReaderOptions options, bool isRequest, ParserScratch scratch)
    {
        _doc = document;
        _options = options;
        _kind = isRequest ? "request" : "reply";
        _maxString = options.MaxStringBytes ?? int.MaxValue;
        _scratch = scratch;
        _pos = 0;
        _nesting = 0;
        _nameOffset = 0;
    }

    public static XmlRpcMethodCall ParseMethodCall(ReadOnlySpan<byte> document, XmlRpcReaderOptions options)
    {
        var scratch = ParserScratch.Rent();
        try
        {
            var parser = new XmlRpcParser(document, options, isRequest: true, scratch);
            parser.CheckDocument();
            return parser.ParseMethodCallDocument();
        }
        finally
        {
            ParserScratch.Return(scratch);
        }
    }

    public static XmlRpcResponse ParseResponse(ReadOnlySpan<byte> document, XmlRpcReaderOptions options)
    {
        var scratch = ParserScratch.Rent();
        try
        {
            var parser = new XmlRpcParser(document, options, isRequest: false, scratch);
            parser.CheckDocument();
            return parser.ParseResponseDocument();
        }
        finally
        {
            ParserScratch.Return(scratch);
        }
    }

    /// <summary>The error for a stream that goes on past the size limit (thrown before any parsing).</summary>
    public static XmlRpcFormatException TooLarge(bool isRequest, int maxBytes) => new(
        string.Create(
            CultureInfo.InvariantCulture,
            $"XML-RPC {(isRequest ? "request" : "reply")} is too large: more than {maxBytes} bytes (XmlRpcReaderOptions.MaxDocumentBytes)"),
        -1,
        0,
        0);

    // Whole-document checks first: they are vectorised and let the rest of the parser assume valid UTF-8 without
    // forbidden control characters (expat, which the hub and koji's client use, rejects those too).
    private readonly void CheckDocument()
    {
        if (_doc.Length > _options.MaxDocumentBytes)
        {
            throw TooLarge(_kind == "request", _options.MaxDocumentBytes);
        }

        if (_doc.IsEmpty)
        {
            throw Error("the document is empty", 0);
        }

        if (!System.Text.Unicode.Utf8.IsValid(_doc))
        {
            int offset = 0;
            while (Rune.DecodeFromUtf8(_doc[offset..], out _, out int consumed) == OperationStatus.Done)
            {
                offset += consumed;
            }

            throw Error(
                string.Create(CultureInfo.InvariantCulture, $"invalid UTF-8 byte 0x{_doc[offset]:X2}"),
                offset,
                note: "only UTF-8 documents are accepted");
        }

        int forbidden = _doc.IndexOfAny(ForbiddenBytes);
        if (forbidden >= 0)
        {
            throw Error(
                string.Create(CultureInfo.InvariantCulture, $"character U+{_doc[forbidden]:X4} is not allowed in XML 1.0"),
                forbidden);
        }
    }

    /// <summary>An error at <paramref name="offset"/>, with line and position as an XML editor would show them.</summary>
    private readonly XmlRpcFormatException Error(string what, int offset, string? expected = null, string? note = null)
    {
        offset = Math.Clamp(offset, 0, _doc.Length);
        var before = _doc[..offset];
        int line = before.Count((byte)'\n') + 1;
        int position = 1;
        foreach (byte b in before[(before.LastIndexOf((byte)'\n') + 1)..])
        {
            // Count characters, not bytes: UTF-8 continuation bytes do not start a character.
            position += (b & 0xC0) == 0x80 ? 0 : 1;
        }

        var message = new StringBuilder()
            .Append("XML-RPC ").Append(_kind).Append(" is not valid: ").Append(what)
            .Append(CultureInfo.InvariantCulture, $" at line {line}, position {position}");
        if (expected is not null)
        {
            message.Append(" (expected ").Append(expected).Append(')');
        }

        if (note is not null)
        {
            message.Append(" (").Append(note).Append(')');
        }

        return new XmlRpcFormatException(message.ToString(), offset, line, position);
    }

    private readonly XmlRpcFormatException EndOfDocument(string expected) =>
        Error("unexpected end of document", _doc.Length, expected);

    /// <summary>A short printable excerpt of the document at <paramref name="offset"/> for messages.</summary>
    private readonly string Excerpt(int offset, int maxBytes = 24)
    {
        var slice = _doc[offset..Math.Min(_doc.Length, offset + maxBytes)];
        int cut = slice.IndexOfAny((byte)'<', (byte)'\n');
        if (cut > 0)
        {
            slice = slice[..cut];
        }

        // Do not split a UTF-8 sequence.
        while (!slice.IsEmpty && !System.Text.Unicode.Utf8.IsValid(slice))
        {
            slice = slice[..^1];
        }

        string text = Encoding.UTF8.GetString(slice);
        return offset + maxBytes < _doc.Length && slice.Length == maxBytes ? text + "…" : text;
    }

    private static string NameText(ReadOnlySpan<byte> name) =>
        Encoding.UTF8.GetString(name.Length > 40 ? name[..40] : name) + (name.Length > 40 ? "…" : string.Empty);
}
