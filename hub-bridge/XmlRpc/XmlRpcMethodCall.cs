namespace KojiComposer.HubBridge.XmlRpc;

/// <summary>A decoded (or to be encoded) XML-RPC <c>methodCall</c>: the method name and its positional params.</summary>
/// <param name="MethodName">The <c>&lt;methodName&gt;</c>, e.g. <c>host.getTasks</c>.</param>
/// <param name="Params">
/// The params in order. Keyword arguments are not split off here; see <see cref="KojiArguments.Split"/>.
/// </param>
public sealed record XmlRpcMethodCall(string MethodName, object?[] Params);
