using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.HubSimulator;

/// <summary>
/// Python-style argument binding for the simulated hub's functions, with kojihub's ParameterError (1019) texts for
/// a wrong count or an unknown keyword (koji/util.py <c>call_with_argcheck</c>, koji-wire.md §2.2).
/// Names ending in <c>?</c> are optional.
/// </summary>
public sealed class Arguments
{
    private readonly Dictionary<string, object?> _values;

    private Arguments(Dictionary<string, object?> values)
    {
        _values = values;
    }

    public static Arguments Bind(string method, string[] names, object?[] positional, XmlRpcStruct? keywords)
    {
        var function = FunctionName(method);
        var plain = names.Select(n => n.TrimEnd('?')).ToArray();
        var required = names.Count(n => !n.EndsWith('?'));
        if (positional.Length > names.Length)
        {
            throw HubFault.Parameter($"{function}() takes {Describe(required, names.Length)} positional argument{(names.Length == 1 ? string.Empty : "s")} but {positional.Length} were given");
        }

        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < positional.Length; i++)
        {
            values[plain[i]] = positional[i];
        }

        foreach (var (name, value) in keywords ?? [])
        {
            if (!plain.Contains(name, StringComparer.Ordinal))
            {
                throw HubFault.Parameter($"{function}() got an unexpected keyword argument '{name}'");
            }

            if (!values.TryAdd(name, value))
            {
                throw HubFault.Parameter($"{function}() got multiple values for argument '{name}'");
            }
        }

        var missing = plain.Where((n, i) => !names[i].EndsWith('?') && !values.ContainsKey(n)).ToArray();
        if (missing.Length > 0)
        {
            throw HubFault.Parameter($"{function}() missing {missing.Length} required positional argument{(missing.Length == 1 ? string.Empty : "s")}: {string.Join(" and ", missing.Select(m => $"'{m}'"))}");
        }

        return new Arguments(values);
    }

    private static string Describe(int required, int total) => required == total ? $"{total}" : $"from {required} to {total}";

    /// <summary>kojihub's Python function names: <c>host.openTask</c> → <c>openTask</c>, CG calls → snake case.</summary>
    private static string FunctionName(string method) => method switch
    {
        "CGInitBuild" => "cg_init_build",
        "CGImport" => "cg_import",
        "CGRefundBuild" => "cg_refund_build",
        _ => method.Contains('.', StringComparison.Ordinal) ? method[(method.LastIndexOf('.') + 1)..] : method,
    };

    public bool Has(string name) => _values.ContainsKey(name);

    public object? this[string name] => _values.TryGetValue(name, out var v) ? v : null;

    public long Long(string name) => this[name] switch
    {
        int i => i,
        long l => l,
        var other => throw HubFault.Python("TypeError", $"{name} must be an integer, not {Python(other)}"),
    };

    public long? LongOrNull(string name) => this[name] is null ? null : Long(name);

    public string String(string name) => this[name] as string ?? throw HubFault.Python("TypeError", $"{name} must be a string, not {Python(this[name])}");

    public string? StringOrNull(string name) => this[name] as string;

    public bool Bool(string name, bool fallback = false) => this[name] switch
    {
        null => fallback,
        bool b => b,
        int i => i != 0,
        string s => s.Length > 0,
        _ => true,
    };

    public double Double(string name) => this[name] switch
    {
        double d => d,
        int i => i,
        long l => l,
        var other => throw HubFault.Python("TypeError", $"{name} must be a number, not {Python(other)}"),
    };

    public XmlRpcStruct? Struct(string name) => this[name] as XmlRpcStruct;

    public object?[]? Array(string name) => this[name] as object?[];

    /// <summary>Python's type names, for TypeError texts.</summary>
    public static string Python(object? value) => value switch
    {
        null => "NoneType",
        string => "str",
        bool => "bool",
        int or long => "int",
        double => "float",
        XmlRpcStruct => "dict",
        object?[] => "list",
        byte[] => "bytes",
        _ => value.GetType().Name,
    };
}
