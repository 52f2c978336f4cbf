using Microsoft.Extensions.Logging;

namespace KojiComposer.Scheduler.Web;

/// <summary>Log events of the web front (event ids 4000-4099). Never logs a password, a token or a hash.</summary>
internal static partial class WebLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Request from {Remote} to {Path} needs authentication: {Reason}")]
    public static partial void AccessChallenged(ILogger logger, string remote, string path, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Request from {Remote} to {Path} refused: {Reason}")]
    public static partial void AccessRefused(ILogger logger, string remote, string path, string reason);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Compose {ComposeId} ({Nvr}, task {TaskId}) submitted by {User} with {Images} images (created: {Created})")]
    public static partial void ComposeSubmitted(ILogger logger, Guid composeId, string nvr, long? taskId, string user, int images, bool created);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "Compose {ComposeId}: cancel requested by {User}: {Outcome}")]
    public static partial void ComposeCancelRequested(ILogger logger, Guid composeId, string user, string outcome);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "Compose {ComposeId}: retry of failed images requested by {User}: {Outcome}, {Images} images")]
    public static partial void ComposeRetryRequested(ILogger logger, Guid composeId, string user, string outcome, int images);

    [LoggerMessage(EventId = 4020, Level = LogLevel.Error, Message = "API request {Method} {Path} failed")]
    public static partial void ApiRequestFailed(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 4030, Level = LogLevel.Warning, Message = "Health check {Check} is {Status}: {Details}")]
    public static partial void HealthCheckNotOk(ILogger logger, string check, string status, string details);

    [LoggerMessage(EventId = 4040, Level = LogLevel.Warning, Message = "Metrics: reading the store's counts failed")]
    public static partial void MetricsCountFailed(ILogger logger, Exception exception);
}
