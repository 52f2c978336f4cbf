using System.Globalization;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubBridge.Transport;
using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.Cli.Doctor;

/// <summary>
/// The two host reads the doctor makes anonymously (kojihub <c>get_host</c>, <c>list_channels</c>), decoded only
/// as far as it needs them.
/// </summary>
internal static class HubHostReads
{
    /// <summary>What <c>getHost</c> says of a build host.</summary>
    public sealed record HostInfo(long Id, string Name, bool Enabled, string Arches);

    /// <summary><c>getHost(name)</c>: the host, or null when the hub has none of that name.</summary>
    public static async Task<HostInfo?> GetHostAsync(KojiCaller hub, string name, CancellationToken cancellationToken)
    {
        var reply = await hub.ReadAsync("getHost", cancellationToken, name).ConfigureAwait(false);
        if (reply is null)
        {
            return null;
        }

        var host = reply as XmlRpcStruct ?? throw Malformed(hub, "getHost", "a struct");
        return new HostInfo(
            host.TryGetValue("id", out var id) && id is int or long ? Convert.ToInt64(id, CultureInfo.InvariantCulture) : throw Malformed(hub, "getHost", "an id"),
            host.TryGetValue("name", out var n) && n is string hostName ? hostName : name,
            !host.TryGetValue("enabled", out var enabled) || enabled is not false,
            host.TryGetValue("arches", out var arches) && arches is string a ? a : "");
    }

    /// <summary><c>listChannels(hostID)</c>: the names of the host's channels, in the hub's order.</summary>
    public static async Task<IReadOnlyList<string>> ListChannelsAsync(KojiCaller hub, long hostId, CancellationToken cancellationToken)
    {
        var reply = await hub.ReadAsync("listChannels", cancellationToken, hostId).ConfigureAwait(false);
        var list = reply as object?[] ?? throw Malformed(hub, "listChannels", "a list");
        return list.OfType<XmlRpcStruct>().Select(c => c.TryGetValue("name", out var name) ? name as string : null).OfType<string>().ToArray();
    }

    private static KojiProtocolException Malformed(KojiCaller hub, string method, string expected) =>
        new($"koji hub {hub.HubUrl}: {method}: the reply is not {expected}");
}
