using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.HubSimulator.Handlers;

/// <summary>
/// Builder channels as clients read them (kojihub <c>list_channels</c>): <c>kojicomposer doctor</c> checks that our
/// host is in channel <c>image</c>, where the hub puts osbuildImage tasks.
/// </summary>
internal static class ChannelReadHandlers
{
    public static void Register(HubSimulator hub) => hub.Dispatcher.Register("listChannels", ListChannels);

    /// <summary>
    /// listChannels(hostID=None, event=None, enabled=None): every channel, or a host's (by id or name; an unknown
    /// name fails as get_host(strict=True) does), as <c>{id, name, description, enabled, comment}</c>. The simulator's
    /// channels are all enabled and have no description or comment.
    /// </summary>
    private static object? ListChannels(CallContext call)
    {
        var args = call.Bind("hostID?", "event?", "enabled?");
        if (args["event"] is not null && args["hostID"] is null)
        {
            throw HubFault.Generic("list_channels with event and not host is not allowed.");
        }

        IEnumerable<KeyValuePair<string, long>> channels = call.State.Channels;
        if (args["hostID"] is { } hostInfo)
        {
            var host = hostInfo switch
            {
                int or long => call.State.Hosts.GetValueOrDefault(Convert.ToInt64(hostInfo, System.Globalization.CultureInfo.InvariantCulture)),
                string name => call.State.Hosts.Values.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.Ordinal))
                    ?? throw HubFault.Generic($"Invalid hostInfo: {name}"),
                _ => throw new HubFault(1019, $"Invalid name or id value: {Python.PythonRepr.Of(hostInfo)}"),
            };
            channels = host is null ? [] : channels.Where(c => host.Channels.Contains(c.Value));
        }

        if (args["enabled"] is false)
        {
            channels = [];
        }

        return channels.OrderBy(c => c.Value)
            .Select(c => (object?)new XmlRpcStruct { ["id"] = c.Value, ["name"] = c.Key, ["description"] = null, ["enabled"] = true, ["comment"] = null })
            .ToArray();
    }
}
