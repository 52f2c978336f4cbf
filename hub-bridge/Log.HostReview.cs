using Microsoft.Extensions.Logging;

namespace KojiComposer.HubBridge;

/// <summary>The host loop's messages added after review (ids 1345-1349).</summary>
internal static partial class Log
{
    [LoggerMessage(1345, LogLevel.Warning, "{Hub}: task {TaskId} ({Method}) is open for us but nothing here runs it (an openTask reply lost, or a run that ended without writing its outcome); running it now")]
    public static partial void HostTaskAdopted(ILogger logger, string hub, long taskId, string method);

    [LoggerMessage(1346, LogLevel.Warning, "{Hub}: freed task {TaskId} ({Method}), open for us but without a handler here")]
    public static partial void HostOrphanFreed(ILogger logger, string hub, long taskId, string method);
}
