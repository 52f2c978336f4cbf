namespace KojiComposer.HubBridge.XmlRpc;

/// <summary>
/// A decoded <c>methodResponse</c>: either a <see cref="Value"/> (the single param, possibly null for
/// <c>&lt;nil/&gt;</c>) or a <see cref="Fault"/>.
/// </summary>
public sealed record XmlRpcResponse(object? Value, XmlRpcFault? Fault)
{
    /// <summary>True when the hub answered with a <c>&lt;fault&gt;</c>.</summary>
    public bool IsFault => Fault is not null;
}

/// <summary>
/// An XML-RPC fault as it travels: <c>faultCode</c> and <c>faultString</c> (koji-wire.md §2.3). Turn it into the
/// typed exception with <see cref="Faults.KojiFaults.Create"/>.
/// </summary>
public sealed record XmlRpcFault(int Code, string Message);
