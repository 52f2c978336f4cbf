using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder;

// Event ids 5300–5399: cloud targets. 5300–5309 the build step's target runs; each target has its own band, in a
// Log file of its folder: AWS EC2 5310–5329, S3 5330–5339, Azure 5340–5359, GCP 5360–5379, container 5380–5389.
// No credentials and no presigned URL ever go into these messages.
internal static partial class Log
{
    [LoggerMessage(5300, LogLevel.Information, "{Image}: uploading to target {Target}")]
    public static partial void TargetStarted(ILogger logger, string image, string target);

    [LoggerMessage(5301, LogLevel.Information, "{Image}: target {Target} done: {Result}")]
    public static partial void TargetSucceeded(ILogger logger, string image, string target, string result);

    [LoggerMessage(5302, LogLevel.Warning, "{Image}: target {Target} failed: error {Code}: {Reason}")]
    public static partial void TargetFailed(ILogger logger, string image, string target, int code, string reason);

    [LoggerMessage(5303, LogLevel.Warning, "{Image}: target {Target}: attempt {Attempt} of {MaxAttempts} failed ({Reason}); trying again in {Delay}")]
    public static partial void TargetRetrying(ILogger logger, string image, string target, int attempt, int maxAttempts, string reason, TimeSpan delay);
}
