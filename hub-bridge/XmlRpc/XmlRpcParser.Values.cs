namespace KojiComposer.HubBridge.XmlRpc;

// The <value> grammar (koji-wire.md §2.1): a type element, or bare text which is a string. Structs and arrays
// recurse; _nesting bounds the recursion so hostile nesting fails fast instead of overflowing the stack.
internal ref partial struct XmlRpcParser
{
    private static readonly object True = true;
    private static readonly object False = false;

    /// <summary>Parses <c>&lt;value&gt;…&lt;/value&gt;</c> at the current position (after SkipMisc).</summary>
    private object? ParseValueElement(string expected)
    {
        if (TryConsume("<value>"u8))
        {
            return ParseValueContent();
        }

        ExpectStartTag("value"u8, expected, out bool empty);
        return empty ? string.Empty : ParseValueContent();
    }

    private object? ParseValueContent()
    {
        int p = _pos;
        if (p + 1 < _doc.Length && _doc[p] == (byte)'<' && IsNameStartByte(_doc[p + 1]))
        {
            return ParseTypedValue();
        }

        // Pretty-printed documents put whitespace around the type element.
        int q = SkipWhitespace(p);
        if (q + 1 < _doc.Length && _doc[q] == (byte)'<' && IsNameStartByte(_doc[q + 1]))
        {
            _pos = q;
            return ParseTypedValue();
        }

        // No type element: the text is a string (XML-RPC spec; the hub accepts it, so do we).
        string text = ReadString("</value>");
        if (!AtEndTag && _pos + 1 < _doc.Length && IsNameStartByte(_doc[_pos + 1]))
        {
            if (!IsXmlWhitespace(text))
            {
                throw Error($"text \"{Excerpt(p)}\" mixed with a type element", p, "a type element or text, not both");
            }

            return ParseTypedValue();
        }

        ExpectEndTag("value"u8);
        return text;
    }

    private object? ParseTypedValue()
    {
        int tagOffset = _pos + 1;
        object? value = TryParseCommonType(out bool parsed);
        if (!parsed)
        {
            var type = ReadStartTag(out bool empty);
            value = ParseTyped(type, empty, tagOffset);
        }

        if (!AtEndTag)
        {
            SkipMisc("</value>");
        }

        ExpectEndTag("value"u8);
        return value;
    }

    /// <summary>
    /// The type tags exactly as Python writes them, matched as literals: most of a Koji reply is these few tags, and
    /// skipping the general tag reader for them is a measurable part of decode speed.
    /// </summary>
    private object? TryParseCommonType(out bool parsed)
    {
        parsed = true;
        int tagOffset = _pos + 1;
        if (tagOffset < _doc.Length)
        {
            switch (_doc[tagOffset])
            {
                case (byte)'s' when TryConsume("<string>"u8):
                    string text = ReadString("</string>");
                    ExpectEndTag("string"u8);
                    return text;
                case (byte)'s' when TryConsume("<struct>"u8):
                    return ParseStruct(false, tagOffset);
                case (byte)'i' when TryConsume("<int>"u8):
                    return ParseInt("int"u8, false, tagOffset);
                case (byte)'i' when TryConsume("<i8>"u8):
                    return ParseI8("i8"u8, false, tagOffset);
                case (byte)'n' when TryConsume("<nil/>"u8):
                    return null;
                case (byte)'d' when TryConsume("<double>"u8):
                    return ParseDouble("double"u8, false, tagOffset);
                case (byte)'b' when TryConsume("<boolean>"u8):
                    return ParseBoolean("boolean"u8, false, tagOffset);
                case (byte)'a' when TryConsume("<array>"u8):
                    return ParseArray(false, tagOffset);
            }
        }

        parsed = false;
        return null;
    }

    private object? ParseTyped(ReadOnlySpan<byte> type, bool empty, int offset)
    {
        switch (type.Length)
        {
            case 3 when type.SequenceEqual("int"u8):
            case 2 when type.SequenceEqual("i4"u8):
                return ParseInt(type, empty, offset);
            case 6 when type.SequenceEqual("string"u8):
                if (empty)
                {
                    return string.Empty;
                }

                string text = ReadString("</string>");
                ExpectEndTag(type);
                return text;
            case 6 when type.SequenceEqual("struct"u8):
                return ParseStruct(empty, offset);
            case 5 when type.SequenceEqual("array"u8):
                return ParseArray(empty, offset);
            case 7 when type.SequenceEqual("boolean"u8):
                return ParseBoolean(type, empty, offset);
            case 6 when type.SequenceEqual("double"u8):
                return ParseDouble(type, empty, offset);
            case 6 when type.SequenceEqual("base64"u8):
                return ParseBase64(type, empty, offset);
            case 16 when type.SequenceEqual("dateTime.iso8601"u8):
                return ParseDateTime(type, empty, offset);
            default:
                // <nil/> and <i8> are extensions; Apache ws-xmlrpc writes them namespaced (<ex:nil/>, <ex:i8>).
                if (LocalName(type).SequenceEqual("nil"u8))
                {
                    return ParseNil(type, empty);
                }

                if (LocalName(type).SequenceEqual("i8"u8))
                {
                    return ParseI8(type, empty, offset);
                }

                throw Error($"unknown value type <{NameText(type)}>", offset);
        }
    }

    private static ReadOnlySpan<byte> LocalName(ReadOnlySpan<byte> name) => name[(name.IndexOf((byte)':') + 1)..];

    private object? ParseNil(ReadOnlySpan<byte> type, bool empty)
    {
        if (!empty)
        {
            SkipMisc($"</{NameText(type)}>");
            ExpectEndTag(type);
        }

        return null;
    }

    private static bool IsXmlWhitespace(string text)
    {
        foreach (char c in text)
        {
            if (c is not (' ' or '\n' or '\r' or '\t'))
            {
                return false;
            }
        }

        return true;
    }
}
