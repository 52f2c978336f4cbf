namespace KojiComposer.HubBridge.Faults;

/// <summary>
/// An XML-RPC fault raised by the Koji hub (koji-wire.md §2.3). Koji maps each of its exception classes to a fixed
/// <see cref="FaultCode"/> (the table in koji <c>koji/__init__.py</c>) and clients turn the code back into the class
/// (koji <c>convertFault</c>); <see cref="KojiFaults.Create"/> does the same here, so callers can catch e.g.
/// <see cref="KojiAuthErrorFault"/> and get every authentication fault. Unknown codes stay this base class.
/// </summary>
public class KojiFaultException : KojiException
{
    /// <summary>A fault with any code; the name is looked up with <see cref="KojiFaults.NameOf"/>.</summary>
    public KojiFaultException(int faultCode, string faultString)
        : this(faultCode, KojiFaults.NameOf(faultCode), faultString)
    {
    }

    /// <summary>Used by the subclasses, which know their code and Koji class name.</summary>
    protected KojiFaultException(int faultCode, string faultName, string faultString)
        : base($"{faultName} (fault {faultCode}): {faultString}")
    {
        FaultCode = faultCode;
        FaultName = faultName;
        FaultString = faultString ?? string.Empty;
    }

    /// <summary>The <c>faultCode</c> from the wire.</summary>
    public int FaultCode { get; }

    /// <summary>The <c>faultString</c> from the wire: the koji exception's message, or a traceback.</summary>
    public string FaultString { get; }

    /// <summary>The Koji exception class name, e.g. <c>BuildError</c>; <c>Fault</c> for codes Koji has no class for.</summary>
    public string FaultName { get; }

    /// <summary>
    /// Only <c>ServerOffline</c> (1014) and <c>LockError</c> (1001) are worth retrying: the hub is in maintenance or
    /// its database is away, or another request (often our own cut-off one, still running on the hub) holds the
    /// lock for a moment. Every other fault rolled back and will fail the same way again.
    /// </summary>
    public override bool IsTransient => FaultCode is KojiFaults.ServerOffline or KojiFaults.LockError;

    /// <summary>The hub that raised the fault, once the session has said so.</summary>
    public string? Hub { get; private set; }

    /// <summary>The call that raised the fault, once the session has said so.</summary>
    public string? Method { get; private set; }

    /// <summary>One line naming hub, call and cause: <c>koji hub URL: CGImport: GenericError (fault 1000): …</c>.</summary>
    public override string Message => Method is null ? base.Message : $"koji hub {Hub}: {Method}: {base.Message}";

    /// <summary>Records where the fault came from (the session calls this as the fault leaves the wire).</summary>
    internal KojiFaultException WithContext(string hub, string method)
    {
        Hub = hub;
        Method = method;
        return this;
    }
}
