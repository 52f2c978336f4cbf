using KojiComposer.HubBridge.Faults;

namespace KojiComposer.HubBridge.XmlRpc;

/// <summary>The outcome of one call in a multicall: its value, or the fault it raised.</summary>
public sealed record MultiCallResult(object? Value, KojiFaultException? Fault)
{
    /// <summary>True when this call failed.</summary>
    public bool IsFault => Fault is not null;

    /// <summary>The value, or the fault thrown.</summary>
    public object? GetValueOrThrow() => Fault is null ? Value : throw Fault;
}

/// <summary>
/// Koji's <c>multiCall</c> (alias <c>system.multicall</c>; koji-wire.md §4.4): many calls in one request and one
/// database transaction. The single param is <c>[{methodName, params}, …]</c>; the reply holds, per call in order,
/// <c>[result]</c> on success or <c>{faultCode, faultString, traceback?}</c> on failure.
/// </summary>
public static class XmlRpcMultiCall
{
    /// <summary>The hub method to send <see cref="Encode"/>'s result to.</summary>
    public const string MethodName = "multiCall";

    /// <summary>
    /// The single parameter of a <c>multiCall</c>. Keyword arguments at the end of a call's params are encoded as koji
    /// <c>encode_args</c> does, since each inner call is dispatched as if it were sent on its own.
    /// </summary>
    public static object?[] Encode(IEnumerable<XmlRpcMethodCall> calls)
    {
        ArgumentNullException.ThrowIfNull(calls);
        var encoded = new List<object?>();
        foreach (var call in calls)
        {
            ArgumentNullException.ThrowIfNull(call);
            ArgumentException.ThrowIfNullOrEmpty(call.MethodName, nameof(calls));
            var parameters = (object?[])call.Params.Clone();
            if (parameters.Length > 0 && parameters[^1] is KojiKeywordArguments keywords)
            {
                var members = new XmlRpcStruct(keywords.Values.Count + 1);
                foreach (var (name, value) in keywords.Values)
                {
                    members[name] = value;
                }

                members[KojiKeywordArguments.MarkerName] = true;
                parameters[^1] = members;
            }

            encoded.Add(new XmlRpcStruct(2) { ["methodName"] = call.MethodName, ["params"] = parameters });
        }

        return encoded.ToArray();
    }

    /// <summary>Splits a multicall reply into one result per call.</summary>
    /// <param name="reply">The decoded reply value (an array).</param>
    /// <param name="expectedCount">The number of calls sent, or -1 not to check.</param>
    /// <exception cref="XmlRpcFormatException">The reply does not have the multicall shape.</exception>
    public static IReadOnlyList<MultiCallResult> Decode(object? reply, int expectedCount = -1)
    {
        if (reply is not object?[] entries)
        {
            throw Malformed("the reply is not an array");
        }

        if (expectedCount >= 0 && entries.Length != expectedCount)
        {
            throw Malformed($"{entries.Length} results for {expectedCount} calls");
        }

        var results = new MultiCallResult[entries.Length];
        for (int i = 0; i < entries.Length; i++)
        {
            results[i] = entries[i] switch
            {
                object?[] { Length: 1 } single => new MultiCallResult(single[0], null),
                XmlRpcStruct fault when fault.TryGetValue("faultCode", out var code) && code is int faultCode
                    && fault.TryGetValue("faultString", out var text) && text is string faultString
                    => new MultiCallResult(null, KojiFaults.Create(faultCode, faultString)),
                _ => throw Malformed($"entry {i} is neither [result] nor a {{faultCode, faultString}} struct"),
            };
        }

        return results;
    }

    private static XmlRpcFormatException Malformed(string what) =>
        new($"XML-RPC reply is not valid: multicall {what}", -1, 0, 0);
}
