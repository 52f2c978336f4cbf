using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder;

/// <summary>
/// Every log event of the builder, declared once per feature in partial files. Event ids: 5000-5099 osbuild,
/// 5100-5149 manifests, 5150-5199 uploads, 5200-5299 worker. Never a session key, a keytab's contents or a
/// credential from the osbuild environment.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(5150, LogLevel.Information, "{Hub}: logged in as {Identity} to upload {Files} files into {Directory}")]
    public static partial void UploadSessionOpened(ILogger logger, string hub, string identity, int files, string directory);

    [LoggerMessage(5151, LogLevel.Information, "{Hub}: uploading {Directory}/{Name} ({Bytes} bytes)")]
    public static partial void UploadingFile(ILogger logger, string hub, string directory, string name, long bytes);

    [LoggerMessage(5152, LogLevel.Information, "{Hub}: uploaded {Directory}/{Name}: {Bytes} bytes, md5 {Md5}")]
    public static partial void UploadedFile(ILogger logger, string hub, string directory, string name, long bytes, string md5);

    [LoggerMessage(5153, LogLevel.Warning,
        "{Hub}: upload of {Directory}/{Name} stopped with {VerifiedBytes} bytes verified; resuming there (attempt {Attempt} of {Attempts}): {Error}")]
    public static partial void ResumingUpload(ILogger logger, string hub, string directory, string name, long verifiedBytes, int attempt, int attempts, string error);

    [LoggerMessage(5154, LogLevel.Warning, "{Hub}: the upload session is gone ({Error}); logging in again as {Identity}")]
    public static partial void UploadSessionLost(ILogger logger, string hub, string identity, string error);

    [LoggerMessage(5155, LogLevel.Error, "{Hub}: upload of {Directory}/{Name} failed: {Error}")]
    public static partial void UploadFailed(ILogger logger, string hub, string directory, string name, string error);
}
