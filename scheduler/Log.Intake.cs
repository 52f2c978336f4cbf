using Microsoft.Extensions.Logging;

namespace KojiComposer.Scheduler;

/// <summary>The osbuildImage task handler's log lines (3330-3399).</summary>
internal static partial class Log
{
    [LoggerMessage(3330, LogLevel.Information, "Koji task {TaskId}: compose {ComposeId} ({Nvr}, {Images} images) {How}")]
    public static partial void TaskComposeCreated(ILogger logger, long taskId, Guid composeId, string nvr, int images, string how);

    [LoggerMessage(3331, LogLevel.Information, "Koji task {TaskId}: resumed with compose {ComposeId} ({State})")]
    public static partial void TaskResumed(ILogger logger, long taskId, Guid composeId, string state);

    [LoggerMessage(3332, LogLevel.Warning, "Koji task {TaskId} fails before any compose: {FaultCode} {FaultString}")]
    public static partial void TaskRefused(ILogger logger, long taskId, int faultCode, string faultString);

    [LoggerMessage(3333, LogLevel.Warning, "Koji task {TaskId}: {Warning}")]
    public static partial void TaskWarning(ILogger logger, long taskId, string warning);

    [LoggerMessage(3334, LogLevel.Information, "Koji task {TaskId} was canceled in Koji: canceling compose {ComposeId}")]
    public static partial void TaskCancelingCompose(ILogger logger, long taskId, Guid composeId);

    [LoggerMessage(3335, LogLevel.Information, "Koji task {TaskId} canceled; compose {ComposeId} ended")]
    public static partial void TaskCanceled(ILogger logger, long taskId, Guid composeId);

    [LoggerMessage(3336, LogLevel.Information, "Koji task {TaskId}: tagging build {BuildId} into {Tag} with subtask {Subtask}")]
    public static partial void TaskTagging(ILogger logger, long taskId, long subtask, long buildId, string tag);

    [LoggerMessage(3337, LogLevel.Warning, "Koji task {TaskId}: tagBuild subtask {Subtask} failed: {FaultCode} {FaultString}")]
    public static partial void TaskTagFailed(ILogger logger, long taskId, long subtask, int faultCode, string faultString);

    [LoggerMessage(3338, LogLevel.Information, "Koji task {TaskId}: compose {ComposeId} imported as build {BuildId}")]
    public static partial void TaskSucceeded(ILogger logger, long taskId, Guid composeId, long buildId);

    [LoggerMessage(3339, LogLevel.Warning, "Koji task {TaskId}: could not attach {Name}: {Reason}")]
    public static partial void TaskAttachmentFailed(ILogger logger, long taskId, string name, string reason);

    [LoggerMessage(3340, LogLevel.Warning, "Koji task {TaskId}: could not {What} ({Reason}); trying again in {Seconds} s")]
    public static partial void TaskStepRetrying(ILogger logger, long taskId, string what, double seconds, string reason);

    [LoggerMessage(3341, LogLevel.Warning, "Another KojiComposer process sharing this store runs the builder host {Identity}; this one waits to take over")]
    public static partial void HostInstanceLockHeld(ILogger logger, string identity);

    [LoggerMessage(3342, LogLevel.Warning, "Cannot take the builder host's instance lock in the store yet: {Reason}")]
    public static partial void HostInstanceLockFailed(ILogger logger, string reason);

    [LoggerMessage(3343, LogLevel.Information, "Koji task {TaskId}: {Reason} yet; waiting for one (up to {Minutes} minutes)")]
    public static partial void TaskWaitingForRepo(ILogger logger, long taskId, string reason, double minutes);

    [LoggerMessage(3344, LogLevel.Warning, "Koji task {TaskId} is now on host {HostId}: canceling our compose {ComposeId}, which would only build it a second time")]
    public static partial void TaskTakenElsewhere(ILogger logger, long taskId, long hostId, Guid composeId);
}
