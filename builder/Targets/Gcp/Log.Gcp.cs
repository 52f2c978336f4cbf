using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder;

// Event ids 5360–5379: the GCP target (Log.Targets.cs). Bucket, object, image and project names only: never the
// service account key, an access token or a signed URL.
internal static partial class Log
{
    [LoggerMessage(5360, LogLevel.Information, "{Image}: gcp: uploading {Bytes} bytes to gs://{Bucket}/{ObjectName}")]
    public static partial void GcpUploading(ILogger logger, string image, long bytes, string bucket, string objectName);

    [LoggerMessage(5361, LogLevel.Information, "{Image}: gcp: importing image {ImageName} in project {Project} (operation {Operation})")]
    public static partial void GcpImporting(ILogger logger, string image, string imageName, string project, string operation);

    [LoggerMessage(5362, LogLevel.Information, "{Image}: gcp: image {ImageName} in project {Project} is ready")]
    public static partial void GcpImageReady(ILogger logger, string image, string imageName, string project);

    [LoggerMessage(5363, LogLevel.Information, "{Image}: gcp: deleted the staging object gs://{Bucket}/{ObjectName}")]
    public static partial void GcpObjectDeleted(ILogger logger, string image, string bucket, string objectName);

    [LoggerMessage(5364, LogLevel.Warning, "{Image}: gcp: could not delete the staging object gs://{Bucket}/{ObjectName}: {Reason}")]
    public static partial void GcpObjectNotDeleted(ILogger logger, string image, string bucket, string objectName, string reason);

    [LoggerMessage(5365, LogLevel.Information, "{Image}: gcp: shared image {ImageName} (roles/compute.imageUser) with {Members}")]
    public static partial void GcpShared(ILogger logger, string image, string imageName, string members);

    [LoggerMessage(5366, LogLevel.Information, "{Image}: gcp: image {ImageName} was made by an earlier attempt of this upload (status {Status}); going on from there")]
    public static partial void GcpResuming(ILogger logger, string image, string imageName, string status);

    [LoggerMessage(5367, LogLevel.Warning, "{Image}: gcp: looking at {What} failed ({Reason}); looking again")]
    public static partial void GcpPollFailed(ILogger logger, string image, string what, string reason);

    [LoggerMessage(5368, LogLevel.Information, "{Image}: gcp: deleting image {ImageName} in project {Project} ({Why})")]
    public static partial void GcpDeletingImage(ILogger logger, string image, string imageName, string project, string why);

    [LoggerMessage(5369, LogLevel.Warning, "{Image}: gcp: could not delete image {ImageName} in project {Project}: {Reason}")]
    public static partial void GcpImageNotDeleted(ILogger logger, string image, string imageName, string project, string reason);
}
