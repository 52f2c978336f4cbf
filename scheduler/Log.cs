using Microsoft.Extensions.Logging;

namespace KojiComposer.Scheduler;

/// <summary>Every log event of the scheduler, declared once. Event ids: 3000-3099 engine, 3100-3199 reconciler,
/// 3200-3299 hosting. Structured fields name the compose and step; never a reservation token or a password.</summary>
internal static partial class Log
{
    [LoggerMessage(3000, LogLevel.Information, "Step {Step} started (attempt {Attempt}): {Description}")]
    public static partial void StepStarted(ILogger logger, string step, int attempt, string description);

    [LoggerMessage(3001, LogLevel.Information, "Step {Step} ended: {Outcome}")]
    public static partial void StepEnded(ILogger logger, string step, string outcome);

    [LoggerMessage(3002, LogLevel.Debug, "Step {Step} not run: {Claim}")]
    public static partial void StepSkipped(ILogger logger, string step, string claim);

    [LoggerMessage(3003, LogLevel.Warning, "Step {Step} failed and will be retried in {DelaySeconds:0} s: {Message}")]
    public static partial void StepRetrying(ILogger logger, string step, double delaySeconds, string message);

    [LoggerMessage(3004, LogLevel.Error, "Step {Step} failed: {Error}")]
    public static partial void StepFailed(ILogger logger, string step, string error, Exception? exception);

    [LoggerMessage(3005, LogLevel.Warning, "Step {Step} could not renew its lease")]
    public static partial void LeaseRenewalFailed(ILogger logger, string step, Exception exception);

    [LoggerMessage(3006, LogLevel.Information, "Step {Step} stopping: {Reason}")]
    public static partial void StepStopping(ILogger logger, string step, string reason);

    [LoggerMessage(3007, LogLevel.Information, "Step {Step} handed back unfinished (worker shutting down)")]
    public static partial void StepHandedBack(ILogger logger, string step);

    [LoggerMessage(3008, LogLevel.Information, "Compose {ComposeId} ({Nvr}) ended: {State}")]
    public static partial void ComposeEnded(ILogger logger, Guid composeId, string nvr, string state);

    [LoggerMessage(3009, LogLevel.Error, "Compose {ComposeId}: refunding build {BuildId} failed; the reservation stays until an operator refunds it")]
    public static partial void RefundFailed(ILogger logger, Guid composeId, long buildId, Exception exception);

    [LoggerMessage(3010, LogLevel.Warning, "Recording a step result failed and is tried again: {Message}")]
    public static partial void RecordRetrying(ILogger logger, string message);

    [LoggerMessage(3100, LogLevel.Information, "Reconciler enqueued {Step} ({Reason})")]
    public static partial void Reenqueued(ILogger logger, string step, string reason);

    [LoggerMessage(3101, LogLevel.Warning, "Reconciler pass failed")]
    public static partial void ReconcileFailed(ILogger logger, Exception exception);

    [LoggerMessage(3102, LogLevel.Information, "{Count} steps were running when the previous process stopped; they are handed out again now")]
    public static partial void LeasesExpiredAtStart(ILogger logger, int count);

    [LoggerMessage(3200, LogLevel.Information, "Hangfire server {Server} started: queues {Queues}, {Workers} workers")]
    public static partial void ServerStarted(ILogger logger, string server, string queues, int workers);

    [LoggerMessage(3201, LogLevel.Warning, "Shutdown timed out before every running step was handed back; those steps return when their leases expire")]
    public static partial void ServersStopTimedOut(ILogger logger);

    [LoggerMessage(3202, LogLevel.Information, "Hangfire server {Server} advertises {Advertisement}")]
    public static partial void BuilderAdvertised(ILogger logger, string server, string advertisement);

    [LoggerMessage(3203, LogLevel.Warning, "Could not withdraw the builder advertisement of {Server}; it is ignored once the server is gone")]
    public static partial void AdvertisementNotWithdrawn(ILogger logger, string server, Exception exception);
}
