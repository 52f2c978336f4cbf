using System.Runtime.CompilerServices;

namespace KojiComposer.HubBridge.XmlRpc;

// Start and end tags. Names are compared as bytes; attributes are checked for syntax and ignored (XML-RPC has none,
// but Apache ws-xmlrpc puts xmlns declarations on <ex:nil/>).
internal ref partial struct XmlRpcParser
{
    private readonly bool AtEndTag => _pos + 1 < _doc.Length && _doc[_pos] == (byte)'<' && _doc[_pos + 1] == (byte)'/';

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ExpectEndTag(ReadOnlySpan<byte> name)
    {
        int p = _pos;
        int close = p + 2 + name.Length;
        if (close < _doc.Length && _doc[p] == (byte)'<' && _doc[p + 1] == (byte)'/' && _doc[close] == (byte)'>'
            && _doc.Slice(p + 2, name.Length).SequenceEqual(name))
        {
            _pos = close + 1;
            return;
        }

        ExpectEndTagSlow(name);
    }

    private void ExpectEndTagSlow(ReadOnlySpan<byte> name)
    {
        int p = _pos;
        int close = p + 2 + name.Length;
        if (close < _doc.Length && _doc[p] == (byte)'<' && _doc[p + 1] == (byte)'/'
            && _doc.Slice(p + 2, name.Length).SequenceEqual(name))
        {
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
