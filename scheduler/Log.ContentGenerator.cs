using Microsoft.Extensions.Logging;

namespace KojiComposer.Scheduler;

/// <summary>The content-generator steps' events (3300-3329): reservation, import, refund. A reservation is named by
/// its build id; its token never appears.</summary>
internal static partial class Log
{
    [LoggerMessage(3300, LogLevel.Information, "Compose {ComposeId}: reserved build {BuildId} ({Nvr}) on {Hub} as content generator {ContentGenerator}")]
    public static partial void CgReserved(ILogger logger, Guid composeId, long buildId, string nvr, string hub, string contentGenerator);

    [LoggerMessage(3301, LogLevel.Warning, "Compose {ComposeId}: generated release {Release} is taken ({Fault}); the hub's next release is {NextRelease}")]
    public static partial void CgReleaseTaken(ILogger logger, Guid composeId, string release, string fault, string nextRelease);

    [LoggerMessage(3302, LogLevel.Warning, "Compose {ComposeId}: build {BuildId} ({Nvr}) is a reservation of ours whose reply was lost (no other compose holds it); released it with cancelBuild to reserve it again")]
    public static partial void CgLostReservationReleased(ILogger logger, Guid composeId, long buildId, string nvr);

    [LoggerMessage(3303, LogLevel.Information, "Compose {ComposeId}: {Nvr} is reserved by someone else ({Holder}), not a lost reservation of ours")]
    public static partial void CgReservedByOther(ILogger logger, Guid composeId, string nvr, string holder);

    [LoggerMessage(3304, LogLevel.Information, "Compose {ComposeId}: metadata of {Bytes} bytes is over the inline limit; uploaded as {Directory}/metadata.json")]
    public static partial void CgMetadataUploaded(ILogger logger, Guid composeId, long bytes, string directory);

    [LoggerMessage(3305, LogLevel.Warning, "Compose {ComposeId}: CGImport of build {BuildId} saw a corrupted upload (attempt {Attempt} of {Attempts}), trying again in {DelaySeconds} s: {Fault}")]
    public static partial void CgImportRetrying(ILogger logger, Guid composeId, long buildId, int attempt, int attempts, double delaySeconds, string fault);

    [LoggerMessage(3306, LogLevel.Information, "Compose {ComposeId}: imported build {BuildId} ({Nvr}) from {Directory}: {Outputs} outputs")]
    public static partial void CgImported(ILogger logger, Guid composeId, long buildId, string nvr, string directory, int outputs);

    [LoggerMessage(3307, LogLevel.Information, "Compose {ComposeId}: build {BuildId} is already COMPLETE on the hub (an earlier import's reply was lost)")]
    public static partial void CgAlreadyImported(ILogger logger, Guid composeId, long buildId);

    [LoggerMessage(3308, LogLevel.Information, "Compose {ComposeId}: refunded build {BuildId} as {State}")]
    public static partial void CgRefunded(ILogger logger, Guid composeId, long buildId, string state);

    [LoggerMessage(3309, LogLevel.Information, "Compose {ComposeId}: build {BuildId} needs no refund, it is already {State} on the hub ({Fault})")]
    public static partial void CgRefundNotNeeded(ILogger logger, Guid composeId, long buildId, string state, string fault);
}
