using System.Globalization;
using System.Runtime.CompilerServices;

namespace KojiComposer.HubBridge.XmlRpc;

// <struct> and <array>. Each level recurses once; Enter bounds the depth (XmlRpcReaderOptions.MaxDepth).
internal ref partial struct XmlRpcParser
{
    private XmlRpcStruct ParseStruct(bool empty, int offset)
    {
        Enter(offset);

        // Names and values go on the scratch stack first so the dictionary is created at its final size: growing
        // it member by member rehashes several times and leaves the smaller arrays as garbage.
        int mark = _scratch.Count;
        if (!empty)
        {
            while (true)
            {
                SkipMisc("<member> or </struct>");
                if (!TryConsume("<member>"u8))
                {
                    if (AtEndTag)
                    {
                        ExpectEndTag("struct"u8);
                        break;
                    }

                    ExpectStartTag("member"u8, "<member> or </struct>", out bool emptyMember);
                    if (emptyMember)
                    {
                        throw Error("empty <member>", _nameOffset, "<name> and <value>");
                    }
                }

                SkipMisc("<name>");
                _scratch.Push(ParseMemberName());
                SkipMisc("<value>");
                _scratch.Push(ParseValueElement("<value>"));
                SkipMisc("</member>");
                ExpectEndTag("member"u8);
            }
        }

        _nesting--;
        return _scratch.PopStruct(mark);
    }

    private string ParseMemberName()
    {
        if (!TryConsume("<name>"u8))
        {
            ExpectStartTag("name"u8, "<name>", out bool empty);
            if (empty)
            {
                return string.Empty;
            }
        }

        string name = ReadMemberName();
        ExpectEndTag("name"u8);
        return name;
    }

    private object?[] ParseArray(bool empty, int offset)
    {
        Enter(offset);
        int mark = _scratch.Count;
        if (!empty)
        {
            SkipMisc("<data>");
            bool hasData = true;
            if (!TryConsume("<data>"u8))
            {
                if (AtEndTag)
                {
                    // <array></array>: no <data> at all; Python's parser accepts it as an empty array.
                    hasData = false;
                }
                else
                {
                    ExpectStartTag("data"u8, "<data>", out bool emptyData);
                    hasData = !emptyData;
                }
            }

            if (hasData)
            {
                while (true)
                {
                    SkipMisc("<value> or </data>");
                    if (AtEndTag)
                    {
                        ExpectEndTag("data"u8);
                        break;
                    }

                    _scratch.Push(ParseValueElement("<value> or </data>"));
                }
            }

            SkipMisc("</array>");
            ExpectEndTag("array"u8);
        }

        _nesting--;
        return _scratch.PopFrom(mark);
    }

    private void Enter(int offset)
    {
        // The stack probe is a second line of defence for callers on small stacks; MaxDepth is the real limit.
        if (++_nesting > _options.MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Error(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"values nest deeper than {_options.MaxDepth} structs/arrays (XmlRpcReaderOptions.MaxDepth)"),
                offset);
        }
    }
}
