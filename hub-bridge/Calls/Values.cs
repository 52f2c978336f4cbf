using System.Globalization;
using KojiComposer.HubBridge.Transport;
using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.HubBridge.Calls;

/// <summary>
/// Reading fields out of decoded hub replies, with errors that name the call and the field. The hub sends
/// <c>&lt;int&gt;</c> or <c>&lt;i8&gt;</c> for integers (int or long after decoding), strings for times.
/// </summary>
internal static class Values
{
    public static XmlRpcStruct Struct(object? value, string what) =>
        value as XmlRpcStruct ?? throw Bad(what, "a struct", value);

    public static XmlRpcStruct? StructOrNull(object? value, string what) =>
        value is null ? null : Struct(value, what);

    public static object?[] Array(object? value, string what) =>
        value as object?[] ?? throw Bad(what, "an array", value);

    public static long Long(object? value, string what) => value switch
    {
        int i => i,
        long l => l,
        double d when double.IsFinite(d) && d == Math.Floor(d) && Math.Abs(d) < 9.2e18 => (long)d,
        _ => throw Bad(what, "an integer", value),
    };

    public static long? LongOrNull(object? value, string what) => value is null ? null : Long(value, what);

    public static int Int(object? value, string what) => checked((int)Long(value, what));

    public static double Double(object? value, string what) => value switch
    {
        double d => d,
        int i => i,
        long l => l,
        _ => throw Bad(what, "a number", value),
    };

    public static double? DoubleOrNull(object? value, string what) => value is null ? null : Double(value, what);

    public static string String(object? value, string what) => value as string ?? throw Bad(what, "a string", value);

    public static string? StringOrNull(object? value, string what) => value is null ? null : String(value, what);

    public static bool Bool(object? value, string what) => value switch
    {
        bool b => b,
        int i => i != 0,
        _ => throw Bad(what, "a boolean", value),
    };

    public static object? Member(XmlRpcStruct s, string name) => s.TryGetValue(name, out var v) ? v : null;

    public static object? Required(XmlRpcStruct s, string name, string what) =>
        s.TryGetValue(name, out var v) ? v : throw new KojiProtocolException($"{what}: the hub's reply has no '{name}'");

    private static KojiProtocolException Bad(string what, string expected, object? got) =>
        new($"{what}: expected {expected} in the hub's reply, got {Describe(got)}");

    private static string Describe(object? value) => value switch
    {
        null => "nil",
        string s => $"the string \"{(s.Length > 60 ? s[..60] + "…" : s)}\"",
        XmlRpcStruct => "a struct",
        object?[] => "an array",
        IFormattable f => $"{value.GetType().Name} {f.ToString(null, CultureInfo.InvariantCulture)}",
        _ => value.GetType().Name,
    };
}
