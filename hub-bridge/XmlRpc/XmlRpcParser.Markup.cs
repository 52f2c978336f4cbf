using System.Runtime.CompilerServices;
using System.Text;

namespace KojiComposer.HubBridge.XmlRpc;

// Whitespace, comments, processing instructions and the prolog. XML-RPC containers hold only elements, so
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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
}
