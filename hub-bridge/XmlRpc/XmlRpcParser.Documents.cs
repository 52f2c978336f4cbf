namespace KojiComposer.HubBridge.XmlRpc;

// methodCall and methodResponse (koji-wire.md §2). <params> may be absent from a call (the Go client) or empty
// (Python: "<params>\n</params>"); a response carries exactly one <param> or a <fault>.
internal ref partial struct XmlRpcParser
{
    private XmlRpcMethodCall ParseMethodCallDocument()
    {
        ParseProlog("<methodCall>");
        ExpectStartTag("methodCall"u8, "<methodCall>", out bool empty);
        if (empty)
        {
            throw Error("empty <methodCall>", _nameOffset, "<methodName>");
        }

        SkipMisc("<methodName>");
        ExpectStartTag("methodName"u8, "<methodName>", out bool emptyName);
        int nameOffset = _pos;
        string methodName = emptyName ? string.Empty : ReadString("</methodName>");
        if (!emptyName)
        {
            ExpectEndTag("methodName"u8);
        }

        if (methodName.Length == 0)
        {
            throw Error("empty <methodName>", nameOffset);
        }

        int mark = _scratch.Count;
        SkipMisc("<params> or </methodCall>");
        if (!AtEndTag)
        {
            ExpectStartTag("params"u8, "<params> or </methodCall>", out bool emptyParams);
            if (!emptyParams)
            {
                while (true)
                {
                    SkipMisc("<param> or </params>");
                    if (AtEndTag)
                    {
                        ExpectEndTag("params"u8);
                        break;
                    }

                    _scratch.Push(ParseParam());
                }
            }

            SkipMisc("</methodCall>");
        }

        ExpectEndTag("methodCall"u8);
        ParseEpilog("</methodCall>");
        return new XmlRpcMethodCall(methodName, _scratch.PopFrom(mark));
    }

    private object? ParseParam()
    {
        if (!TryConsume("<param>"u8))
        {
            ExpectStartTag("param"u8, "<param>", out bool empty);
            if (empty)
            {
                throw Error("empty <param>", _nameOffset, "<value>");
            }
        }

        SkipMisc("<value>");
        object? value = ParseValueElement("<value>");
        SkipMisc("</param>");
        ExpectEndTag("param"u8);
        return value;
    }

    private XmlRpcResponse ParseResponseDocument()
    {
        ParseProlog("<methodResponse>");
        ExpectStartTag("methodResponse"u8, "<methodResponse>", out bool empty);
        if (empty)
        {
            throw Error("empty <methodResponse>", _nameOffset, "<params> or <fault>");
        }

        SkipMisc("<params> or <fault>");
        if (_pos >= _doc.Length)
        {
            throw EndOfDocument("<params> or <fault>");
        }

        int tagOffset = _pos + 1;
        if (AtEndTag)
        {
            throw Error("<methodResponse> without <params> or <fault>", _pos, "<params> or <fault>");
        }

        var element = ReadStartTag(out bool emptyElement);
        XmlRpcResponse response;
        if (element.SequenceEqual("params"u8))
        {
            if (emptyElement)
            {
                throw Error("a methodResponse with no <param>", tagOffset, "one <param>");
            }

            SkipMisc("<param>");
            if (AtEndTag)
            {
                throw Error("a methodResponse with no <param>", _pos, "one <param>");
            }

            object? value = ParseParam();
            SkipMisc("</params>");
            if (_doc[_pos..].StartsWith("<param"u8) && _pos + 6 < _doc.Length && !IsNameByte(_doc[_pos + 6]))
            {
                throw Error("a methodResponse with more than one <param>", _pos + 1, "</params>");
            }

            ExpectEndTag("params"u8);
            response = new XmlRpcResponse(value, null);
        }
        else if (element.SequenceEqual("fault"u8))
        {
            if (emptyElement)
            {
                throw Error("empty <fault>", tagOffset, "<value>");
            }

            SkipMisc("<value>");
            object? value = ParseValueElement("<value>");
            SkipMisc("</fault>");
            ExpectEndTag("fault"u8);
            response = new XmlRpcResponse(null, ToFault(value, tagOffset));
        }
        else
        {
            throw Error($"unexpected element <{NameText(element)}>", tagOffset, "<params> or <fault>");
        }

        SkipMisc("</methodResponse>");
        ExpectEndTag("methodResponse"u8);
        ParseEpilog("</methodResponse>");
        return response;
    }

    // A fault value is the struct {faultCode: int, faultString: string} (koji-wire.md §2.3); koji's multicall adds
    // "traceback" and Python allows anything extra, so other members are ignored.
    private readonly XmlRpcFault ToFault(object? value, int offset)
    {
        if (value is XmlRpcStruct members
            && members.TryGetValue("faultCode", out object? code)
            && members.TryGetValue("faultString", out object? text)
            && text is string message)
        {
            switch (code)
            {
                case int i:
                    return new XmlRpcFault(i, message);
                case long l when l is >= int.MinValue and <= int.MaxValue:
                    return new XmlRpcFault((int)l, message);
            }
        }

        throw Error("the <fault> value is not a struct with an <int> faultCode and a <string> faultString", offset);
    }
}
