namespace KojiComposer.HubBridge.Host;

/// <summary>What the host loop is doing, for <c>/health</c> and the pages.</summary>
/// <param name="LoggedIn">True while it holds an exclusive session.</param>
/// <param name="HostId">Our host id, once known.</param>
/// <param name="LastHeartbeat">When <c>host.updateHost</c> last succeeded.</param>
/// <param name="RunningTasks">Ids of the tasks running now.</param>
/// <param name="LastError">The latest error of the loop (login, poll, heartbeat), or null after a clean round.</param>
public sealed record KojiHostStatus(bool LoggedIn, long? HostId, DateTimeOffset? LastHeartbeat, IReadOnlyList<long> RunningTasks, string? LastError);
