using System.Buffers;
using System.Globalization;
using System.Text;

namespace KojiComposer.HubBridge.XmlRpc;

// Character data: the fast path slices the document when the text has no reference, no carriage return and no
// markup; otherwise it is decoded into a pooled buffer. Only &amp; &lt; &gt; &quot; &apos; and character references
// are understood: with DTDs refused there is nothing else an entity could legally mean (XML 1.0 §4.1, §4.6).
internal ref partial struct XmlRpcParser
{
    private static readonly SearchValues<byte> TextStops = SearchValues.Create("<&\r"u8);

    /// <summary>Reads character data up to the next element tag and decodes it to a string.</summary>
    /// <param name="endTag">The end tag that should follow, for the message when the document ends first.</param>
    private string ReadString(string endTag)
    {
        var rest = _doc[_pos..];
        int stop = rest.IndexOfAny(TextStops);
        if (stop >= 0 && rest[stop] == (byte)'<' && stop + 1 < rest.Length && rest[stop + 1] is not ((byte)'!' or (byte)'?'))
        {
            CheckStringLength(stop, _pos);
            _pos += stop;
            return stop == 0 ? string.Empty : _scratch.ShortStrings.Get(rest[..stop]);
        }

        return ReadStringSlow(endTag);
    }

    /// <summary>
    /// Like <see cref="ReadString"/> but returns the raw bytes when no decoding is needed (numbers, base64), so
    /// scalars cost no string.
    /// </summary>
    private ReadOnlySpan<byte> ReadScalarText(ReadOnlySpan<byte> type)
    {
        var rest = _doc[_pos..];
        int stop = rest.IndexOfAny(TextStops);
        if (stop >= 0 && rest[stop] == (byte)'<' && stop + 1 < rest.Length && rest[stop + 1] is not ((byte)'!' or (byte)'?'))
        {
            CheckStringLength(stop, _pos);
            _pos += stop;
            return rest[..stop];
        }

        return Encoding.UTF8.GetBytes(ReadStringSlow($"</{NameText(type)}>"));
    }

    /// <summary>Reads a member name, reusing the string when the same name was seen before.</summary>
    private string ReadMemberName()
    {
        // Names are short: one scalar pass finds the end, hashes the bytes for the cache and notices anything
        // that needs the slow path, instead of a vectorised search followed by a second pass to hash.
        var rest = _doc[_pos..];
        uint hash = StringCache.HashSeed;
        int high = 0;
        int limit = Math.Min(rest.Length, StringCache.MaxCachedBytes + 1);
        for (int i = 0; i < limit; i++)
        {
            byte b = rest[i];
            if (b == (byte)'<')
            {
                if (i + 1 < rest.Length && rest[i + 1] == (byte)'/' && i <= _maxString)
                {
                    _pos += i;
                    return _scratch.Names.Get(rest[..i], hash, high < 0x80);
                }

                break;
            }

            if (b is (byte)'&' or (byte)'\r')
            {
                break;
            }

            hash = StringCache.Hash(hash, b);
            high |= b;
        }

        return ReadStringSlow("</name>");
    }

    private readonly void CheckStringLength(int length, int offset)
    {
        if (length > _maxString)
        {
            throw Error(
                string.Create(CultureInfo.InvariantCulture, $"a string of more than {_maxString} bytes (XmlRpcReaderOptions.MaxStringBytes)"),
                offset);
        }
    }

    private string ReadStringSlow(string endTag)
    {
        int start = _pos;
        var text = new PooledByteBuilder(256);
        try
        {
            int p = _pos;
            while (true)
            {
                var rest = _doc[p..];
                int stop = rest.IndexOfAny(TextStops);
                if (stop < 0)
                {
                    throw EndOfDocument(endTag);
                }

                text.Append(rest[..stop]);
                p += stop;
                switch (_doc[p])
                {
                    case (byte)'\r':
                        // XML end-of-line handling (§2.11): CR LF and a lone CR both become LF.
                        text.Append((byte)'\n');
                        p += p + 1 < _doc.Length && _doc[p + 1] == (byte)'\n' ? 2 : 1;
                        break;
                    case (byte)'&':
                        p = AppendReference(p, ref text);
                        break;
                    default:
                        rest = _doc[p..];
                        if (rest.StartsWith("<![CDATA["u8))
                        {
                            int end = rest[9..].IndexOf("]]>"u8);
                            if (end < 0)
                            {
                                throw Error("unterminated CDATA section", p);
                            }

                            AppendNormalisingLineEnds(rest.Slice(9, end), ref text);
                            p += 9 + end + 3;
                        }
                        else if (rest.StartsWith("<!"u8))
                        {
                            p = SkipDeclaration(p, "text");
                        }
                        else if (rest.StartsWith("<?"u8))
                        {
                            p = SkipProcessingInstruction(p);
                        }
                        else
                        {
                            _pos = p;
                            return text.ToUtf8String();
                        }

                        break;
                }

                CheckStringLength(text.Length, start);
            }
        }
        finally
        {
            text.Dispose();
        }
    }

    private static void AppendNormalisingLineEnds(ReadOnlySpan<byte> data, ref PooledByteBuilder text)
    {
        while (true)
        {
            int cr = data.IndexOf((byte)'\r');
            if (cr < 0)
            {
                text.Append(data);
                return;
            }

            text.Append(data[..cr]);
            text.Append((byte)'\n');
            data = data[(cr + 1 < data.Length && data[cr + 1] == (byte)'\n' ? cr + 2 : cr + 1)..];
        }
    }

    /// <summary>Decodes the reference starting with '&amp;' at <paramref name="p"/>; returns the offset after it.</summary>
    private readonly int AppendReference(int p, ref PooledByteBuilder text)
    {
        var rest = _doc[(p + 1)..Math.Min(_doc.Length, p + 1 + 64)];
        int semicolon = rest.IndexOf((byte)';');
        if (semicolon <= 0)
        {
            throw Error("'&' that does not start an entity or character reference", p, note: "a literal & must be written &amp;");
        }

        var name = rest[..semicolon];
        int next = p + 1 + semicolon + 1;
        if (name[0] == (byte)'#')
        {
            int codePoint = ParseCharacterReference(name[1..]);
            if (codePoint < 0 || !IsXmlChar(codePoint))
            {
                throw Error($"invalid character reference &{NameText(name)};", p);
            }

            Span<byte> utf8 = stackalloc byte[4];
            int length = new Rune(codePoint).EncodeToUtf8(utf8);
            text.Append(utf8[..length]);
            return next;
        }

        byte decoded = name switch
        {
            _ when name.SequenceEqual("amp"u8) => (byte)'&',
            _ when name.SequenceEqual("lt"u8) => (byte)'<',
            _ when name.SequenceEqual("gt"u8) => (byte)'>',
            _ when name.SequenceEqual("quot"u8) => (byte)'"',
            _ when name.SequenceEqual("apos"u8) => (byte)'\'',
            _ => 0,
        };
        if (decoded == 0)
        {
            throw Error(
                $"reference to undefined entity &{NameText(name)};",
                p,
                note: "only &amp; &lt; &gt; &quot; &apos; and character references are allowed");
        }

        text.Append(decoded);
        return next;
    }

    private static int ParseCharacterReference(ReadOnlySpan<byte> digits)
    {
        bool hex = !digits.IsEmpty && digits[0] == (byte)'x';
        var number = hex ? digits[1..] : digits;
        if (number.IsEmpty || number.Length > 8)
        {
            return -1;
        }

        var style = hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None;
        return int.TryParse(number, style, CultureInfo.InvariantCulture, out int value) ? value : -1;
    }

    // XML 1.0 Char production (§2.2).
    private static bool IsXmlChar(int c) =>
        c is 0x9 or 0xA or 0xD or (>= 0x20 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or (>= 0x10000 and <= 0x10FFFF);
}
