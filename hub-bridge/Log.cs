using Microsoft.Extensions.Logging;

namespace KojiComposer.HubBridge;

/// <summary>
/// Every log event of the hub bridge, declared once. Event ids are banded: 1000s transport and retries, 1100s login
/// and sessions, 1200s uploads. Session keys, tokens and keytab contents are never a field of any event.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Warning, "{Hub}: {Method} attempt {Attempt} failed, retrying in {DelayMs} ms: {Error}")]
    public static partial void Retrying(ILogger logger, string hub, string method, int attempt, long delayMs, string error);

    [LoggerMessage(1001, LogLevel.Warning, "{Hub}: {Method}: the hub already ran this write (RetryError after a resend); checking its state")]
    public static partial void CheckingCommittedWrite(ILogger logger, string hub, string method);

    [LoggerMessage(1002, LogLevel.Warning, "{Hub}: {Method}: call number {Sent} is behind the hub's {Stored}; skipping ahead")]
    public static partial void SkippingCallNumber(ILogger logger, string hub, string method, long sent, long stored);

    [LoggerMessage(1100, LogLevel.Information, "{Hub}: logged in as {Principal}, session {SessionId} ({Transport})")]
    public static partial void LoggedIn(ILogger logger, string hub, string principal, long sessionId, string transport);

    [LoggerMessage(1101, LogLevel.Information, "{Hub}: session {SessionId} is exclusive{Forced}")]
    public static partial void Exclusive(ILogger logger, string hub, long sessionId, string forced);

    [LoggerMessage(1102, LogLevel.Information, "{Hub}: session {SessionId} expired; renewed it")]
    public static partial void Renewed(ILogger logger, string hub, long sessionId);

    [LoggerMessage(1103, LogLevel.Warning, "{Hub}: session {OldSessionId} is no longer valid; logged in again as session {SessionId}")]
    public static partial void LoggedInAgain(ILogger logger, string hub, long oldSessionId, long sessionId);

    [LoggerMessage(1104, LogLevel.Information, "{Hub}: logged out session {SessionId}")]
    public static partial void LoggedOut(ILogger logger, string hub, long sessionId);

    [LoggerMessage(1105, LogLevel.Warning, "{Hub}: logout of session {SessionId} failed: {Error}")]
    public static partial void LogoutFailed(ILogger logger, string hub, long sessionId, string error);

    [LoggerMessage(1200, LogLevel.Warning, "{Hub}: upload of {Path}/{Name} chunk at offset {Offset} was not verified ({Problem}); sending it again")]
    public static partial void ChunkNotVerified(ILogger logger, string hub, string path, string name, long offset, string problem);

    [LoggerMessage(1201, LogLevel.Information, "{Hub}: uploaded {Path}/{Name}: {Bytes} bytes in {Chunks} chunks")]
    public static partial void Uploaded(ILogger logger, string hub, string path, string name, long bytes, int chunks);
}
