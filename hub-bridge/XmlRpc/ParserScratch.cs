namespace KojiComposer.HubBridge.XmlRpc;

/// <summary>
/// Per-thread reusable state of the parser: the value stack that collects array elements and params before they
/// are copied into an exactly sized array, and the member-name cache. Rented for one parse at a time.
/// </summary>
internal sealed class ParserScratch
{
    [ThreadStatic]
    private static ParserScratch? t_cached;

    private object?[] _stack = new object?[256];

    /// <summary>Member names: nearly always short ASCII and few distinct ones.</summary>
    public StringCache Names { get; } = new(maxBytes: StringCache.MaxCachedBytes);

    /// <summary>Short string values (arches, types, states, method names) repeat too; long ones rarely do.</summary>
    public StringCache ShortStrings { get; } = new(maxBytes: 16);

    public int Count { get; private set; }

    public static ParserScratch Rent()
    {
        var scratch = t_cached ?? new ParserScratch();
        t_cached = null;
        return scratch;
    }

    public static void Return(ParserScratch scratch)
    {
        // Drop references so decoded values are not kept alive by the cache.
        Array.Clear(scratch._stack, 0, scratch.Count);
        scratch.Count = 0;
        if (scratch._stack.Length > 64 * 1024)
        {
            scratch._stack = new object?[256];
        }

        t_cached = scratch;
    }

    public void Push(object? value)
    {
        if (Count == _stack.Length)
        {
            Array.Resize(ref _stack, _stack.Length * 2);
        }

        _stack[Count++] = value;
    }

    /// <summary>Pops name/value pairs pushed since <paramref name="mark"/> into a new struct of exact size.</summary>
    public XmlRpcStruct PopStruct(int mark)
    {
        int length = Count - mark;
        var members = new XmlRpcStruct(length / 2);
        for (int i = mark; i < Count; i += 2)
        {
            // Indexer, not Add: a repeated name keeps its first position and its last value, as in Python.
            members[(string)_stack[i]!] = _stack[i + 1];
        }

        Array.Clear(_stack, mark, length);
        Count = mark;
        return members;
    }

    /// <summary>Pops everything pushed since <paramref name="mark"/> into a new array.</summary>
    public object?[] PopFrom(int mark)
    {
        int length = Count - mark;
        if (length == 0)
        {
            return [];
        }

        var items = new object?[length];
        Array.Copy(_stack, mark, items, 0, length);
        Array.Clear(_stack, mark, length);
        Count = mark;
        return items;
    }
}
