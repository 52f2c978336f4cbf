namespace KojiComposer.HubBridge.Faults;

/// <summary>
/// Fault 1: the hub hit an exception that is not one of koji's own classes (a Python <c>TypeError</c>, a database
/// error, a missing file), so <c>faultString</c> is <c>"&lt;class 'X'&gt;: message"</c> or a traceback (koji
/// <c>kojihub/kojixmlrpc.py</c>; koji-wire.md §2.3). Koji has no class for it; it is a hub-side bug or a request
/// the hub could not cope with, and repeating the call does not help.
/// </summary>
public sealed class KojiHubInternalFault(string faultString)
    : KojiFaultException(KojiFaults.HubInternal, "Fault", faultString);
