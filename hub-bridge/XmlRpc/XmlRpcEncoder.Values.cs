using System.Collections;
using System.Globalization;
using System.Text;

namespace KojiComposer.HubBridge.XmlRpc;

// Maps CLR values to XML-RPC types (koji-wire.md §2.1) and writes each one exactly as xmlrpc.client's Marshaller
// does: every value is "<value>…</value>\n", except nil, which Python writes without the newline.
internal ref partial struct XmlRpcEncoder
{
    // Nesting limit for containers: a reference cycle (a list holding itself) would otherwise overflow the stack.
    // It matches the reader's default, so whatever we write we can read back.
    private const int MaxNesting = 64;

    private void WriteValue(object? value)
    {
        // Ordered by how often the types occur in Koji traffic.
        switch (value)
        {
            case null:
                WriteRaw("<value><nil/></value>"u8);
                return;
            case string s:
                WriteString(s);
                return;
            case int i:
                WriteInteger(i);
                return;
            case bool b:
                WriteRaw(b ? "<value><boolean>1</boolean></value>\n"u8 : "<value><boolean>0</boolean></value>\n"u8);
                return;
            case XmlRpcStruct members:
                WriteStruct(members);
                return;
            case object?[] items:
                WriteArray(items);
                return;
            case long l:
                WriteInteger(l);
                return;
            case double d:
                WriteDouble(d);
                return;
            case byte[] bytes:
                WriteBase64(bytes);
                return;
            case KojiKeywordArguments:
                throw Error("Keyword arguments can only be the last parameter of a method call");
            default:
                WriteOther(value);
                return;
        }
    }

    private void WriteOther(object value)
    {
        switch (value)
        {
            case short or sbyte or byte or ushort or uint:
                WriteInteger(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                return;
            case ulong u:
                WriteInteger(u <= long.MaxValue ? (long)u : throw TooLarge(u.ToString(CultureInfo.InvariantCulture)));
                return;
            case nint n:
                WriteInteger(n);
                return;
            case nuint n:
                WriteInteger(n <= long.MaxValue ? (long)n : throw TooLarge(n.ToString(CultureInfo.InvariantCulture)));
                return;
            case float f:
                WriteSingle(f);
                return;
            case decimal m:
                // Python's xmlrpc has no decimal type; a double is what the hub would compute with anyway.
                WriteDouble((double)m);
                return;
            case char c:
                WriteString(c.ToString());
                return;
            case Enum e:
                WriteEnum(e);
                return;
            case DateTime dt:
                WriteDateTime(dt);
                return;
            case DateTimeOffset dto:
                WriteDateTime(dto.UtcDateTime);
                return;
            case ReadOnlyMemory<byte> rom:
                WriteBase64(rom.Span);
                return;
            case Memory<byte> mem:
                WriteBase64(mem.Span);
                return;
            case ArraySegment<byte> segment:
                WriteBase64(segment);
                return;
            case StringBuilder sb:
                WriteString(sb.ToString());
                return;
            case IDictionary<string, object?> members:
                WriteMembers(members);
                return;
            case IReadOnlyDictionary<string, object?> members:
                WriteMembers(members);
                return;
            case IDictionary dictionary:
                WriteDictionary(dictionary);
                return;
            default:
                if (DictionaryAdapters.TryAdapt(value) is { } adapted)
                {
                    WriteMembers(adapted);
                    return;
                }

                if (value is IEnumerable sequence)
                {
                    WriteSequence(sequence);
                    return;
                }

                throw Error($"Cannot marshal a value of type {value.GetType()} to XML-RPC");
        }
    }

    private void WriteEnum(Enum value)
    {
        if (Type.GetTypeCode(value.GetType()) == TypeCode.UInt64)
        {
            ulong u = Convert.ToUInt64(value, CultureInfo.InvariantCulture);
            WriteInteger(u <= long.MaxValue ? (long)u : throw TooLarge(u.ToString(CultureInfo.InvariantCulture)));
            return;
        }

        WriteInteger(Convert.ToInt64(value, CultureInfo.InvariantCulture));
    }

    private void WriteStruct(XmlRpcStruct members)
    {
        Enter();
        WriteRaw("<value><struct>\n"u8);
        foreach (var (name, value) in members)
        {
            WriteMember(name, value);
        }

        WriteRaw("</struct></value>\n"u8);
        _nesting--;
    }

    private void WriteMembers(IEnumerable<KeyValuePair<string, object?>> members)
    {
        Enter();
        WriteRaw("<value><struct>\n"u8);
        foreach (var (name, value) in members)
        {
            WriteMember(name ?? throw Error("A struct member name is null"), value);
        }

        WriteRaw("</struct></value>\n"u8);
        _nesting--;
    }

    private void WriteDictionary(IDictionary dictionary)
    {
        Enter();
        WriteRaw("<value><struct>\n"u8);
        var entries = dictionary.GetEnumerator();
        while (entries.MoveNext())
        {
            if (entries.Key is not string name)
            {
                throw Error($"Struct member names must be strings, not {entries.Key.GetType()}");
            }

            WriteMember(name, entries.Value);
        }

        WriteRaw("</struct></value>\n"u8);
        _nesting--;
    }

    // koji encode_args: every keyword, then __starstar = True as the last member (koji-wire.md §2.2).
    private void WriteKeywords(KojiKeywordArguments keywords)
    {
        ArgumentNullException.ThrowIfNull(keywords.Values);
        Enter();
        WriteRaw("<value><struct>\n"u8);
        foreach (var (name, value) in keywords.Values)
        {
            if (string.Equals(name, KojiKeywordArguments.MarkerName, StringComparison.Ordinal))
            {
                throw Error($"'{KojiKeywordArguments.MarkerName}' is koji's keyword marker, not a keyword argument");
            }

            WriteMember(name, value);
        }

        WriteRaw("<member>\n<name>__starstar</name>\n<value><boolean>1</boolean></value>\n</member>\n</struct></value>\n"u8);
        _nesting--;
    }

    private void WriteMember(string name, object? value)
    {
        WriteRaw("<member>\n<name>"u8);
        Push(new PathSegment(name, 0));
        WriteEscaped(name);
        WriteRaw("</name>\n"u8);
        WriteValue(value);
        _depth--;
        WriteRaw("</member>\n"u8);
    }

    private void WriteArray(object?[] items)
    {
        Enter();
        WriteRaw("<value><array><data>\n"u8);
        for (int i = 0; i < items.Length; i++)
        {
            Push(new PathSegment(null, i));
            WriteValue(items[i]);
            _depth--;
        }

        WriteRaw("</data></array></value>\n"u8);
        _nesting--;
    }

    private void WriteSequence(IEnumerable items)
    {
        Enter();
        WriteRaw("<value><array><data>\n"u8);
        int i = 0;
        foreach (object? item in items)
        {
            Push(new PathSegment(null, i++));
            WriteValue(item);
            _depth--;
        }

        WriteRaw("</data></array></value>\n"u8);
        _nesting--;
    }

    private void Enter()
    {
        if (++_nesting > MaxNesting)
        {
            throw Error($"Values nest deeper than {MaxNesting} structs/arrays (a reference cycle?)");
        }
    }

    private void Push(PathSegment segment)
    {
        if (_depth == _path.Length)
        {
            Array.Resize(ref _path, _path.Length * 2);
        }

        _path[_depth++] = segment;
    }

    private readonly ArgumentException TooLarge(string digits) =>
        Error($"Integer {digits} is outside the 64-bit range and cannot be marshalled (<i8> is the largest XML-RPC integer)");

    /// <summary>An error naming where in the document the offending value sits, e.g. <c>params[2].opts.foo</c>.</summary>
    private readonly ArgumentException Error(string what)
    {
        var path = new StringBuilder(_root);
        for (int i = 0; i < _depth; i++)
        {
            var segment = _path[i];
            if (segment.Name is null)
            {
                path.Append('[').Append(segment.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else
            {
                path.Append('.').Append(segment.Name);
            }
        }

        return new ArgumentException($"{what} (at {path}).");
    }
}
