using Microsoft.Extensions.Logging;

namespace KojiComposer.HubBridge;

/// <summary>The builder-host loop's events (1300s): login, taking and refusing tasks, their ends, loop errors.</summary>
internal static partial class Log
{
    [LoggerMessage(1300, LogLevel.Information, "{Hub}: builder host {HostName} (id {HostId}) is up: methods {Methods}, at most {MaxTasks} tasks")]
    public static partial void HostUp(ILogger logger, string hub, string hostName, long hostId, string methods, int maxTasks);

    [LoggerMessage(1301, LogLevel.Warning, "{Hub}: host loop: {Activity} failed, next try in {DelayMs} ms: {Error}")]
    public static partial void HostLoopFailed(ILogger logger, string hub, string activity, long delayMs, string error);

    [LoggerMessage(1302, LogLevel.Information, "{Hub}: host loop: {Activity} works again")]
    public static partial void HostLoopRecovered(ILogger logger, string hub, string activity);

    [LoggerMessage(1303, LogLevel.Information, "{Hub}: task {TaskId} ({Method}) is assigned to us; recording and opening it")]
    public static partial void HostTaskTaken(ILogger logger, string hub, long taskId, string method);

    [LoggerMessage(1304, LogLevel.Information, "{Hub}: refused task {TaskId} ({Method}, {Kind}): {Reason}")]
    public static partial void HostTaskRefused(ILogger logger, string hub, long taskId, string method, string kind, string reason);

    [LoggerMessage(1305, LogLevel.Information, "{Hub}: task {TaskId} ({Method}) is open and runs, weight {Weight}")]
    public static partial void HostTaskOpened(ILogger logger, string hub, long taskId, string method, double weight);

    [LoggerMessage(1306, LogLevel.Information, "{Hub}: task {TaskId} ({Method}) could not be opened (canceled or given to another host meanwhile)")]
    public static partial void HostTaskNotOpened(ILogger logger, string hub, long taskId, string method);

    [LoggerMessage(1307, LogLevel.Information, "{Hub}: task {TaskId} ({Method}) is still open for us; resuming it")]
    public static partial void HostTaskResumed(ILogger logger, string hub, long taskId, string method);

    [LoggerMessage(1308, LogLevel.Information, "{Hub}: task {TaskId} ({Method}) was canceled in Koji; stopping its work")]
    public static partial void HostTaskCanceled(ILogger logger, string hub, long taskId, string method);

    [LoggerMessage(1309, LogLevel.Warning, "{Hub}: task {TaskId} ({Method}) is no longer ours ({Why}); stopping its work without reporting")]
    public static partial void HostTaskLost(ILogger logger, string hub, long taskId, string method, string why);

    [LoggerMessage(1310, LogLevel.Information, "{Hub}: task {TaskId} ({Method}) closed")]
    public static partial void HostTaskClosed(ILogger logger, string hub, long taskId, string method);

    [LoggerMessage(1311, LogLevel.Information, "{Hub}: task {TaskId} ({Method}) failed: {FaultName} (fault {FaultCode}): {FaultString}")]
    public static partial void HostTaskFailed(ILogger logger, string hub, long taskId, string method, string faultName, int faultCode, string faultString);

    [LoggerMessage(1312, LogLevel.Error, "{Hub}: the {Method} handler of task {TaskId} threw; failing the task")]
    public static partial void HostHandlerThrew(ILogger logger, Exception exception, string hub, long taskId, string method);

    [LoggerMessage(1313, LogLevel.Information, "{Hub}: the {Method} handler of task {TaskId} threw while being stopped ({Why}): {Error}")]
    public static partial void HostHandlerThrewWhileStopping(ILogger logger, string hub, long taskId, string method, string why, string error);

    [LoggerMessage(1314, LogLevel.Warning, "{Hub}: the task journal's {Step} for task {TaskId} failed: {Error}")]
    public static partial void HostJournalFailed(ILogger logger, string hub, string step, long taskId, string error);

    [LoggerMessage(1315, LogLevel.Warning, "{Hub}: {Method} for task {TaskId} failed, next try in {DelayMs} ms: {Error}")]
    public static partial void HostOutcomeRetrying(ILogger logger, string hub, string method, long taskId, long delayMs, string error);

    [LoggerMessage(1316, LogLevel.Warning, "{Hub}: {Method} for task {TaskId} was refused ({Error}); the task is {State}")]
    public static partial void HostOutcomeRefused(ILogger logger, string hub, string method, long taskId, string error, string state);

    [LoggerMessage(1317, LogLevel.Information, "{Hub}: task {TaskId} ({Method}) ended without a report to the hub: {Reason}")]
    public static partial void HostTaskAbandoned(ILogger logger, string hub, long taskId, string method, string reason);

    [LoggerMessage(1318, LogLevel.Information, "{Hub}: stopping; waiting for {Count} running tasks (they stay open and are resumed at the next start)")]
    public static partial void HostStopping(ILogger logger, string hub, int count);

    [LoggerMessage(1319, LogLevel.Information, "{Hub}: builder host stopped")]
    public static partial void HostStopped(ILogger logger, string hub);

    [LoggerMessage(1320, LogLevel.Information, "{Hub}: start-up: task {TaskId} of the journal is {State} on the hub; recorded as {Outcome}")]
    public static partial void HostTaskReconciled(ILogger logger, string hub, long taskId, string state, string outcome);

    [LoggerMessage(1321, LogLevel.Warning, "{Hub}: start-up: freed task {TaskId} ({Method}), open for us but without a handler here")]
    public static partial void HostTaskFreed(ILogger logger, string hub, long taskId, string method);

    [LoggerMessage(1322, LogLevel.Information, "{Hub}: the control subsession {SessionId} is no longer valid ({Error}); opening a new one")]
    public static partial void HostSubsessionLost(ILogger logger, string hub, long sessionId, string error);

    [LoggerMessage(1323, LogLevel.Warning, "{Hub}: host.setTaskWeight({TaskId}, {Weight}) failed: {Error}")]
    public static partial void HostTaskWeightFailed(ILogger logger, string hub, long taskId, double weight, string error);

    [LoggerMessage(1324, LogLevel.Warning, "{Hub}: shutting down: {Step} failed: {Error}")]
    public static partial void HostShutdownStepFailed(ILogger logger, string hub, string step, string error);

    [LoggerMessage(1325, LogLevel.Warning, "{Hub}: tagBuild task {TaskId}: {Call} failed, retrying in {DelayMs} ms: {Error}")]
    public static partial void TagBuildRetrying(ILogger logger, string hub, long taskId, string call, long delayMs, string error);

    [LoggerMessage(1326, LogLevel.Information, "{Hub}: tagBuild task {TaskId}: build {BuildId} is in tag {TagId} already (an earlier run tagged it)")]
    public static partial void TagBuildAlreadyTagged(ILogger logger, string hub, long taskId, long buildId, long tagId);

    [LoggerMessage(1327, LogLevel.Warning, "{Hub}: tagBuild task {TaskId}: the failure notification failed too: {Error}")]
    public static partial void TagBuildNotificationFailed(ILogger logger, string hub, long taskId, string error);
}
