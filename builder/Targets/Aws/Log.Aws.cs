using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder;

// AWS EC2 5310–5329, S3 (and the multipart upload both use) 5330–5339 (Log.Targets.cs). Bucket and key names only:
// never a credential, a profile's contents or a presigned URL.
internal static partial class Log
{
    [LoggerMessage(5310, LogLevel.Information, "{Image}: aws: uploading the raw image to staging object s3://{Bucket}/{Key}")]
    public static partial void Ec2StagingUpload(ILogger logger, string image, string bucket, string key);

    [LoggerMessage(5311, LogLevel.Information, "{Image}: aws: snapshot import {ImportTaskId} started in {Region}")]
    public static partial void Ec2ImportStarted(ILogger logger, string image, string importTaskId, string region);

    [LoggerMessage(5312, LogLevel.Debug, "{Image}: aws: snapshot import {ImportTaskId}: {Status} {Progress}%")]
    public static partial void Ec2ImportProgress(ILogger logger, string image, string importTaskId, string status, int progress);

    [LoggerMessage(5313, LogLevel.Information, "{Image}: aws: snapshot {SnapshotId} imported")]
    public static partial void Ec2SnapshotImported(ILogger logger, string image, string snapshotId);

    [LoggerMessage(5314, LogLevel.Warning, "{Image}: aws: cannot delete staging object s3://{Bucket}/{Key}: {Reason}")]
    public static partial void Ec2StagingDeleteFailed(ILogger logger, string image, string bucket, string key, string reason);

    [LoggerMessage(5315, LogLevel.Information, "{Image}: aws: registered {ImageId} ({Name}) in {Region}")]
    public static partial void Ec2ImageRegistered(ILogger logger, string image, string imageId, string name, string region);

    [LoggerMessage(5316, LogLevel.Information, "{Image}: aws: shared {ImageId} and its snapshot with account {Account}")]
    public static partial void Ec2Shared(ILogger logger, string image, string imageId, string account);

    [LoggerMessage(5317, LogLevel.Information, "{Image}: aws: continuing an earlier attempt at {Step}")]
    public static partial void Ec2Resuming(ILogger logger, string image, string step);

    [LoggerMessage(5318, LogLevel.Warning, "{Image}: aws: cannot cancel snapshot import {ImportTaskId}: {Reason}")]
    public static partial void Ec2CancelImportFailed(ILogger logger, string image, string importTaskId, string reason);

    [LoggerMessage(5330, LogLevel.Information, "{Image}: aws.s3: uploading to {Store} s3://{Bucket}/{Key}")]
    public static partial void S3Upload(ILogger logger, string image, string store, string bucket, string key);

    [LoggerMessage(5331, LogLevel.Information, "{Image}: uploaded {Bytes} bytes in {Parts} parts to s3://{Bucket}/{Key}")]
    public static partial void S3Uploaded(ILogger logger, string image, long bytes, int parts, string bucket, string key);

    [LoggerMessage(5332, LogLevel.Warning, "{Image}: aws.s3: store {Store} has skip_ssl_verification = true: its TLS certificate is not checked")]
    public static partial void S3SkipSslVerification(ILogger logger, string image, string store);

    [LoggerMessage(5333, LogLevel.Information, "{Image}: resuming the unfinished multipart upload of s3://{Bucket}/{Key} ({Parts} parts already there)")]
    public static partial void S3Resuming(ILogger logger, string image, string bucket, string key, int parts);

    [LoggerMessage(5334, LogLevel.Warning, "{Image}: part {Part} of s3://{Bucket}/{Key} failed (attempt {Attempt}): {Reason}; trying again")]
    public static partial void S3PartRetry(ILogger logger, string image, int part, string bucket, string key, int attempt, string reason);

    [LoggerMessage(5335, LogLevel.Warning, "{Image}: cannot abort the multipart upload of s3://{Bucket}/{Key}: {Reason}")]
    public static partial void S3AbortFailed(ILogger logger, string image, string bucket, string key, string reason);

    [LoggerMessage(5336, LogLevel.Debug, "{Image}: the store cannot list unfinished multipart uploads of s3://{Bucket}/{Key} ({Reason}): starting a new one")]
    public static partial void S3CannotResume(ILogger logger, string image, string bucket, string key, string reason);

    [LoggerMessage(5337, LogLevel.Warning, "{Image}: cannot delete s3://{Bucket}/{Key} of the failed upload: {Reason}")]
    public static partial void S3DeleteFailed(ILogger logger, string image, string bucket, string key, string reason);
}
