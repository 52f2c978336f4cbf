using System.Text;

namespace KojiComposer.HubBridge.XmlRpc;

// Tags, whitespace, comments, processing instructions and the prolog. XML-RPC containers hold only elements, so
// between them nothing but whitespace, comments and processing instructions may appear (XML 1.0 §2.5, §2.6).
internal ref partial struct XmlRpcParser
{
    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t';

    // Names are ASCII in XML-RPC; any non-ASCII byte is let through as a name character so the element can be
    // reported by name ("unexpected element <ä>") rather than as a syntax error.
    private static bool IsNameByte(byte b) =>
        b >= 0x80 || (uint)((b | 0x20) - 'a') <= 'z' - 'a' || (uint)(b - '0') <= 9 || b is (byte)'_' or (byte)':' or (byte)'-' or (byte)'.';

    private static bool IsNameStartByte(byte b) => b >= 0x80 || (uint)((b | 0x20) - 'a') <= 'z' - 'a' || b is (byte)'_' or (byte)':';

    private readonly int SkipWhitespace(int p)
    {
        while (p < _doc.Length && IsWhitespace(_doc[p]))
        {
            p++;
        }

        return p;
    }

    /// <summary>Skips whitespace, comments and processing instructions; stops at a tag or the end.</summary>
    private void SkipMisc(string expected)
    {
        // Python's layout has at most one newline between tags: handle that inline, the rest out of line.
        int p = _pos;
        if (p < _doc.Length && _doc[p] == (byte)'\n')
        {
            p++;
        }

        if (p + 1 < _doc.Length && _doc[p] == (byte)'<' && _doc[p + 1] is not ((byte)'!' or (byte)'?'))
        {
            _pos = p;
            return;
        }

        SkipMiscSlow(expected);
    }

    private void SkipMiscSlow(string expected)
    {
        int p = _pos;
        while (true)
        {
            p = SkipWhitespace(p);
            if (p >= _doc.Length)
            {
                break;
            }

            if (_doc[p] != (byte)'<')
            {
                throw Error($"unexpected text \"{Excerpt(p)}\"", p, expected);
            }

            if (p + 1 < _doc.Length && _doc[p + 1] == (byte)'!')
            {
                p = SkipDeclaration(p, expected);
            }
            else if (p + 1 < _doc.Length && _doc[p + 1] == (byte)'?')
            {
                p = SkipProcessingInstruction(p);
            }
            else
            {
                break;
            }
        }

        _pos = p;
    }

    /// <summary>At "&lt;!": a comment is skipped; a DTD or anything else is refused.</summary>
    private readonly int SkipDeclaration(int p, string expected)
    {
        var rest = _doc[p..];
        if (rest.StartsWith("<!--"u8))
        {
            int end = rest[4..].IndexOf("-->"u8);
            return end >= 0 ? p + 4 + end + 3 : throw Error("unterminated comment", p);
        }

        if (rest.StartsWith("<!DOCTYPE"u8))
        {
            bool html = rest[9..].TrimStart(" \t\r\n"u8).Length >= 4
                && Ascii.EqualsIgnoreCase(rest[9..].TrimStart(" \t\r\n"u8)[..4], "html"u8);
            throw Error(
                $"DTD is prohibited: found <!DOCTYPE{(html ? " html" : string.Empty)}>",
                p + 2,
                note: html ? "this is an HTML page, not XML-RPC" : "document type declarations and entity definitions are refused");
        }

        if (rest.StartsWith("<![CDATA["u8))
        {
            throw Error("unexpected CDATA section", p, expected);
        }

        throw Error($"unexpected markup \"{Excerpt(p)}\"", p, expected);
    }

    private readonly int SkipProcessingInstruction(int p)
    {
        int target = p + 2;
        int q = target;
        while (q < _doc.Length && IsNameByte(_doc[q]))
        {
            q++;
        }

        if (q - target == 3 && Ascii.EqualsIgnoreCase(_doc[target..q], "xml"u8))
        {
            throw Error("XML declaration not at the start of the document", p);
        }

        int end = _doc[q..].IndexOf("?>"u8);
        return end >= 0 ? q + end + 2 : throw Error("unterminated processing instruction", p);
    }

    /// <summary>Byte-order mark, XML declaration and anything before the root element.</summary>
    private void ParseProlog(string expectedRoot)
    {
        int p = _doc.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        var rest = _doc[p..];
        if (rest.StartsWith("<?xml"u8) && rest.Length > 5 && (IsWhitespace(rest[5]) || rest[5] == (byte)'?'))
        {
            int end = rest.IndexOf("?>"u8);
            if (end < 0)
            {
                throw Error("unterminated XML declaration", p);
            }

            CheckEncoding(rest[5..end], p);
            p += end + 2;
        }

        _pos = p;
        SkipMisc(expectedRoot);
    }

    // Only UTF-8 (and its ASCII subset) is decoded; Python's client and the hub never declare anything else.
    private readonly void CheckEncoding(ReadOnlySpan<byte> declaration, int offset)
    {
        int at = declaration.IndexOf("encoding"u8);
        if (at < 0)
        {
            return;
        }

        var value = declaration[(at + 8)..].TrimStart(" \t\r\n"u8);
        if (value.IsEmpty || value[0] != (byte)'=')
        {
            throw Error("malformed XML declaration", offset);
        }

        value = value[1..].TrimStart(" \t\r\n"u8);
        if (value.IsEmpty || value[0] is not ((byte)'"' or (byte)'\''))
        {
            throw Error("malformed XML declaration", offset);
        }

        int close = value[1..].IndexOf(value[0]);
        if (close < 0)
        {
            throw Error("malformed XML declaration", offset);
        }

        var name = value.Slice(1, close);
        if (!Ascii.EqualsIgnoreCase(name, "utf-8"u8) && !Ascii.EqualsIgnoreCase(name, "utf8"u8)
            && !Ascii.EqualsIgnoreCase(name, "us-ascii"u8) && !Ascii.EqualsIgnoreCase(name, "ascii"u8))
        {
            throw Error($"unsupported encoding \"{NameText(name)}\"", offset, note: "only UTF-8 documents are accepted");
        }
    }

    /// <summary>After the root element only whitespace, comments and processing instructions may follow.</summary>
    private void ParseEpilog(string root)
    {
        SkipMisc("end of document");
        if (_pos < _doc.Length)
        {
            throw Error($"unexpected content after {root}", _pos, "end of document");
        }
    }

    private readonly bool AtEndTag => _pos + 1 < _doc.Length && _doc[_pos] == (byte)'<' && _doc[_pos + 1] == (byte)'/';

    private bool TryConsume(ReadOnlySpan<byte> literal)
    {
        if (_doc[_pos..].StartsWith(literal))
        {
            _pos += literal.Length;
            return true;
        }

        return false;
    }

    /// <summary>
    /// Reads the start tag at the current position (which is '&lt;' followed by a name) and returns its name;
    /// attributes are checked for syntax and ignored.
    /// </summary>
    private ReadOnlySpan<byte> ReadStartTag(out bool empty)
    {
        int nameStart = _pos + 1;
        int p = nameStart;
        while (p < _doc.Length && IsNameByte(_doc[p]))
        {
            p++;
        }

        if (p == _doc.Length)
        {
            throw EndOfDocument("a complete tag");
        }

        if (p == nameStart)
        {
            throw Error($"malformed tag \"{Excerpt(_pos)}\"", _pos);
        }

        var name = _doc[nameStart..p];
        _nameOffset = nameStart;
        while (true)
        {
            int afterSpace = SkipWhitespace(p);
            if (afterSpace >= _doc.Length)
            {
                throw EndOfDocument($"'>' closing <{NameText(name)}>");
            }

            byte b = _doc[afterSpace];
            if (b == (byte)'>')
            {
                _pos = afterSpace + 1;
                empty = false;
                return name;
            }

            if (b == (byte)'/' && afterSpace + 1 < _doc.Length && _doc[afterSpace + 1] == (byte)'>')
            {
                _pos = afterSpace + 2;
                empty = true;
                return name;
            }

            if (afterSpace == p || !IsNameStartByte(b))
            {
                throw Error($"malformed tag <{NameText(name)}>", afterSpace);
            }

            p = SkipAttribute(afterSpace, name);
        }
    }

    private readonly int SkipAttribute(int p, ReadOnlySpan<byte> element)
    {
        while (p < _doc.Length && IsNameByte(_doc[p]))
        {
            p++;
        }

        p = SkipWhitespace(p);
        if (p >= _doc.Length || _doc[p] != (byte)'=')
        {
            throw Error($"malformed attribute in <{NameText(element)}>", p);
        }

        p = SkipWhitespace(p + 1);
        if (p >= _doc.Length || _doc[p] is not ((byte)'"' or (byte)'\''))
        {
            throw Error($"malformed attribute in <{NameText(element)}>", p);
        }

        int close = _doc[(p + 1)..].IndexOfAny(_doc[p], (byte)'<');
        if (close < 0 || _doc[p + 1 + close] == (byte)'<')
        {
            throw Error($"malformed attribute in <{NameText(element)}>", p);
        }

        return p + 1 + close + 1;
    }

    /// <summary>Consumes the start tag <paramref name="name"/> or explains what is there instead.</summary>
    private void ExpectStartTag(ReadOnlySpan<byte> name, string expected, out bool empty)
    {
        if (_pos >= _doc.Length)
        {
            throw EndOfDocument(expected);
        }

        if (AtEndTag)
        {
            throw Error($"unexpected end tag </{NameText(ReadEndTagName(_pos))}>", _pos + 2, expected);
        }

        int at = _pos;
        var actual = ReadStartTag(out empty);
        if (!actual.SequenceEqual(name))
        {
            throw Error($"unexpected element <{NameText(actual)}>", at + 1, expected);
        }
    }

    /// <summary>Consumes <c>&lt;/name&gt;</c> or explains what is there instead.</summary>
    private void ExpectEndTag(ReadOnlySpan<byte> name)
    {
        int p = _pos;
        int close = p + 2 + name.Length;
        if (close < _doc.Length && _doc[p] == (byte)'<' && _doc[p + 1] == (byte)'/'
            && _doc.Slice(p + 2, name.Length).SequenceEqual(name))
        {
            if (_doc[close] == (byte)'>')
            {
                _pos = close + 1;
                return;
            }

            int q = SkipWhitespace(close);
            if (q < _doc.Length && _doc[q] == (byte)'>')
            {
                _pos = q + 1;
                return;
            }
        }

        ThrowNotEndTag(name);
    }

    private readonly void ThrowNotEndTag(ReadOnlySpan<byte> name)
    {
        string expected = $"</{NameText(name)}>";
        int p = _pos;
        if (p >= _doc.Length)
        {
            throw EndOfDocument(expected);
        }

        if (_doc[p] != (byte)'<')
        {
            throw Error($"unexpected text \"{Excerpt(p)}\"", p, expected);
        }

        if (p + 1 < _doc.Length && _doc[p + 1] == (byte)'/')
        {
            var actual = ReadEndTagName(p);
            if (p + 2 + actual.Length >= _doc.Length)
            {
                throw EndOfDocument(expected);
            }

            if (actual.SequenceEqual(name))
            {
                throw Error($"malformed end tag </{NameText(name)}>", p);
            }

            throw Error($"unexpected end tag </{NameText(actual)}>", p + 2, expected);
        }

        int q = p + 1;
        while (q < _doc.Length && IsNameByte(_doc[q]))
        {
            q++;
        }

        if (q == _doc.Length)
        {
            throw EndOfDocument(expected);
        }

        if (q == p + 1)
        {
            throw Error($"malformed tag \"{Excerpt(p)}\"", p, expected);
        }

        throw Error($"unexpected element <{NameText(_doc[(p + 1)..q])}>", p + 1, expected);
    }

    private readonly ReadOnlySpan<byte> ReadEndTagName(int p)
    {
        int q = p + 2;
        while (q < _doc.Length && IsNameByte(_doc[q]))
        {
            q++;
        }

        return _doc[(p + 2)..q];
    }
}
