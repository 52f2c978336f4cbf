namespace KojiComposer.HubSimulator;

/// <summary>A hub function: returns the XML-RPC result or throws <see cref="HubFault"/>.</summary>
public delegate object? HubHandler(CallContext call);

/// <summary>The simulated hub's exported functions by XML-RPC method name.</summary>
public sealed class Dispatcher
{
    private readonly Dictionary<string, HubHandler> _handlers = new(StringComparer.Ordinal);

    /// <summary>
    /// Methods the hub runs again when their call number repeats (kojihub/auth.py retry whitelist, koji-wire.md §4.3).
    /// </summary>
    public static readonly IReadOnlySet<string> RetryWhitelist = new HashSet<string>(StringComparer.Ordinal)
    {
        "host.taskWait", "host.taskUnwait", "host.taskSetWait", "host.updateHost", "host.setBuildRootState",
        "repoExpire", "repoDelete", "repoProblem",
    };

    /// <summary>Methods that pass the exclusive-session lock of another session (kojixmlrpc.py check_session).</summary>
    public static readonly IReadOnlySet<string> PassExclusiveLock = new HashSet<string>(StringComparer.Ordinal)
    {
        "exclusiveSession", "login", "sslLogin", "logout",
    };

    public void Register(string method, HubHandler handler) => _handlers[method] = handler;

    public bool TryGet(string method, out HubHandler handler) => _handlers.TryGetValue(method, out handler!);

    public IEnumerable<string> Methods => _handlers.Keys;
}
