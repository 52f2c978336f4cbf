using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder;

internal static partial class Log
{
    [LoggerMessage(5200, LogLevel.Information, "Building {Image}: {ImageType} on {Distribution}, export {Export}, in {WorkDirectory}")]
    public static partial void BuildStarted(ILogger logger, string image, string imageType, string distribution, string export, string workDirectory);

    [LoggerMessage(5201, LogLevel.Error, "{Image}: no catalogue entry: {Reason}")]
    public static partial void NoCatalogueEntry(ILogger logger, string image, string reason);

    [LoggerMessage(5202, LogLevel.Warning, "{Image}: manifest generation failed: {Error}")]
    public static partial void ManifestFailed(ILogger logger, string image, string error);

    [LoggerMessage(5203, LogLevel.Warning, "{Image}: osbuild {OsbuildVersion} failed ({Failure}, rc {ExitCode}): {Error}")]
    public static partial void ImageOsbuildFailed(ILogger logger, string image, string osbuildVersion, string failure, int exitCode, string error);

    [LoggerMessage(5204, LogLevel.Warning, "{Image}: the export {Export}/ has no {Expected}; using its only file {Actual}")]
    public static partial void ArtifactSubstituted(ILogger logger, string image, string export, string expected, string actual);

    [LoggerMessage(5205, LogLevel.Error, "{Image}: {Error}")]
    public static partial void NoArtifact(ILogger logger, string image, string error);

    [LoggerMessage(5206, LogLevel.Information, "{Image}: uploading {Files} files ({Bytes} bytes) to {Hub} into {Directory}")]
    public static partial void UploadingToKoji(ILogger logger, string image, int files, long bytes, string hub, string directory);

    [LoggerMessage(5207, LogLevel.Information, "{Image}: built {Artifact} ({Bytes} bytes) with osbuild {OsbuildVersion}")]
    public static partial void Built(ILogger logger, string image, string artifact, long bytes, string osbuildVersion);

    [LoggerMessage(5208, LogLevel.Debug, "Removed the work directory {WorkDirectory}")]
    public static partial void WorkDirectoryRemoved(ILogger logger, string workDirectory);

    [LoggerMessage(5209, LogLevel.Warning, "Could not remove the work directory {WorkDirectory}: {Error}")]
    public static partial void WorkDirectoryNotRemoved(ILogger logger, string workDirectory, string error);

    [LoggerMessage(5210, LogLevel.Error, "{Image}: {Error}")]
    public static partial void BuildCannotRun(ILogger logger, string image, string error);
}
