namespace KojiComposer.HubBridge.XmlRpc;

// The document frames of Python's xmlrpc.client.dumps: an XML declaration without encoding (UTF-8 is the default),
// then methodCall/methodResponse with a newline after every tag that closes a block (koji-wire.md §2, §9.5).
internal ref partial struct XmlRpcEncoder
{
    public void WriteMethodCall(string methodName, IReadOnlyList<object?> parameters)
    {
        ArgumentException.ThrowIfNullOrEmpty(methodName);
        ArgumentNullException.ThrowIfNull(parameters);
        WriteRaw("<?xml version='1.0'?>\n<methodCall>\n<methodName>"u8);
        _root = "methodName";
        WriteEscaped(methodName);
        WriteRaw("</methodName>\n<params>\n"u8);
        _root = "params";
        int last = parameters.Count - 1;
        for (int i = 0; i <= last; i++)
        {
            _path[0] = new PathSegment(null, i);
            _depth = 1;
            WriteRaw("<param>\n"u8);
            object? parameter = parameters[i];
            if (i == last && parameter is KojiKeywordArguments keywords)
            {
                WriteKeywords(keywords);
            }
            else
            {
                WriteValue(parameter);
            }

            WriteRaw("</param>\n"u8);
        }

        _depth = 0;
        WriteRaw("</params>\n</methodCall>\n"u8);
    }

    public void WriteMethodResponse(object? value)
    {
        WriteRaw("<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n"u8);
        _root = "result";
        _depth = 0;
        WriteValue(value);
        WriteRaw("</param>\n</params>\n</methodResponse>\n"u8);
    }

    // Python dumps a Fault as the struct {faultCode, faultString}, in that order (xmlrpc.client.Marshaller.dumps).
    public void WriteFault(int code, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        WriteRaw("<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n"u8);
        WriteInteger(code);
        WriteRaw("</member>\n<member>\n<name>faultString</name>\n"u8);
        _root = "faultString";
        _depth = 0;
        WriteString(message);
        WriteRaw("</member>\n</struct></value>\n</fault>\n</methodResponse>\n"u8);
    }
}
