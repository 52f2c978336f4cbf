using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubSimulator;

/// <summary>One call as a handler sees it: who is calling, the arguments, and the hub's state (locked).</summary>
public sealed class CallContext
{
    internal CallContext(HubSimulator hub, string method, object?[] positional, XmlRpcStruct? keywords, SimSession? session, string clientAddress)
    {
        Hub = hub;
        Method = method;
        Positional = positional;
        Keywords = keywords;
        Session = session;
        ClientAddress = clientAddress;
    }

    public HubSimulator Hub { get; }

    public HubState State => Hub.State;

    public string Method { get; }

    public object?[] Positional { get; }

    public XmlRpcStruct? Keywords { get; }

    public SimSession? Session { get; }

    public string ClientAddress { get; }

    /// <summary>Set by a handler that committed a database write: the hub then stores the call number.</summary>
    public bool Committed { get; private set; }

    public void Commit() => Committed = true;

    public DateTimeOffset Now => Hub.Time.GetUtcNow();

    public SimUser? User => Session is null ? null : State.Users[Session.UserId];

    /// <summary>kojihub's <c>context.session.assertLogin()</c>.</summary>
    public SimUser RequireUser()
    {
        return User ?? throw HubFault.Auth("Not logged-in");
    }

    /// <summary>
    /// kojihub's <c>host.*</c> preconditions (<c>Host()</c> then <c>Host.verify()</c>): logged in (<c>Not
    /// logged-in</c>), a host user (<c>User N is not a host</c>, observed for a normal user without an exclusive
    /// session), then an exclusive session (<c>This method requires an exclusive session</c>, observed for a host).
    /// </summary>
    public SimHost RequireHost()
    {
        var user = RequireUser();
        var host = State.HostOfUser(user.Id) ?? throw HubFault.Auth($"User {user.Id} is not a host");
        if (!Session!.Exclusive)
        {
            throw HubFault.Auth("This method requires an exclusive session");
        }

        return host;
    }

    /// <summary>kojihub's <c>context.session.assertLogin()</c> in the exported calls that use it (cancelBuild, repo.request).</summary>
    public SimUser RequireLogin() => User ?? throw HubFault.NotAllowed("you must be logged in for this operation");

    /// <summary>kojihub's <c>context.session.hasPerm(name)</c>.</summary>
    public bool HasPerm(string name) => User?.Permissions.Contains(name) == true;

    /// <summary>Binds arguments like Python: positional first, then keywords by name; unknown keywords fail.</summary>
    public Arguments Bind(params string[] names) => Arguments.Bind(Method, names, Positional, Keywords);
}
