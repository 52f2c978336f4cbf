using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;

namespace KojiComposer.Builder.Targets.Aws;

/// <summary>Steps 1–3 of the <c>aws</c> target (cloud-targets.md §2): staging upload, snapshot import, staging cleanup.</summary>
public sealed partial class AwsEc2Target
{
    /// <summary>Steps 1–3: stage, import, wait, delete the staging object (also on failure, but not while a
    /// transient failure leaves the import running for a next try; on the last try the import is canceled).</summary>
    private async Task<string> ImportAsync(
        TargetUpload upload, S3Store store, Amazon.S3.IAmazonS3 s3, IEc2Calls ec2, Run run, string name, CancellationToken cancellationToken)
    {
        var key = upload.GeneratedName;
        var call = new Ec2Step(cancellationToken);
        if (!run.Staged)
        {
            await StageAsync(upload, store, s3, key, cancellationToken).ConfigureAwait(false);
            run.Staged = true;
        }

        var keepStaging = false;
        try
        {
            if (run.ImportTaskId is null)
            {
                run.ImportTaskId = await call.RunAsync(JobErrorCodes.ImportingImage, "starting the snapshot import",
                    ct => ec2.ImportSnapshotAsync(store.Bucket, key, $"KojiComposer compose {upload.ComposeId}: {name}", upload.GeneratedName, ct)).ConfigureAwait(false);
                Log.Ec2ImportStarted(_logger, upload.Image, run.ImportTaskId, store.Region);
            }
            else
            {
                Log.Ec2Resuming(_logger, upload.Image, $"snapshot import {run.ImportTaskId}");
            }

            run.ImportDeadline ??= _time.GetUtcNow() + (_options.Aws?.ImportTimeout ?? TimeSpan.FromHours(24));
            return await WaitForImportAsync(upload, ec2, run.ImportTaskId, run.ImportDeadline.Value, cancellationToken).ConfigureAwait(false);
        }
        catch (TargetFailedException e) when (e.IsTransient && !upload.IsLastAttempt)
        {
            keepStaging = true;
            throw;
        }
        catch (TargetFailedException e) when (e.IsTransient && run.ImportTaskId is { } id)
        {
            // The last try: nobody will wait for this import again, so it must not go on making a snapshot.
            await CancelImportAsync(upload, ec2, id).ConfigureAwait(false);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && run.ImportTaskId is { } id)
        {
            await CancelImportAsync(upload, ec2, id).ConfigureAwait(false);
            throw;
        }
        finally
        {
            if (!keepStaging)
            {
                await DeleteStagingAsync(upload, s3, store.Bucket, key).ConfigureAwait(false);
                run.Staged = false;
            }
        }
    }

    private async Task StageAsync(TargetUpload upload, S3Store store, Amazon.S3.IAmazonS3 s3, string key, CancellationToken cancellationToken)
    {
        Log.Ec2StagingUpload(_logger, upload.Image, store.Bucket, key);
        var compressed = TargetArtifact.IsXz(upload.ArtifactPath);
        int? totalMiB = compressed ? null : (int)Math.Max(1, (new FileInfo(upload.ArtifactPath).Length + (1 << 20) - 1) >> 20);
        var stage = compressed ? "aws: decompressing and uploading to the staging bucket" : "aws: uploading to the staging bucket";
        upload.Progress.Report(new ImageProgress(0, 4, stage, 0, totalMiB));
        try
        {
            await using var source = TargetArtifact.OpenRaw(upload.ArtifactPath);
            var multipart = new S3MultipartUpload(s3, store.Bucket, key, upload.Image, _logger) { PartSize = PartSize, AbortOnTransientFailure = upload.IsLastAttempt };
            var (bytes, parts) = await multipart.UploadAsync(
                source, done => upload.Progress.Report(new ImageProgress(0, 4, stage, (int)(done >> 20), totalMiB)), cancellationToken).ConfigureAwait(false);
            Log.S3Uploaded(_logger, upload.Image, bytes, parts, store.Bucket, key);
        }
        catch (Exception e) when (!AwsErrors.IsCancellation(e, cancellationToken))
        {
            throw AwsErrors.Failure(JobErrorCodes.UploadingImage, $"uploading the image to staging bucket {store.Bucket}", e);
        }
    }

    private async Task<string> WaitForImportAsync(TargetUpload upload, IEc2Calls ec2, string importTaskId, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var call = new Ec2Step(cancellationToken);
        var interval = _options.Aws?.PollInterval ?? TimeSpan.FromSeconds(15);
        while (true)
        {
            var status = await call.RunAsync(JobErrorCodes.ImportingImage, $"looking at snapshot import {importTaskId}", ct => ec2.DescribeImportAsync(importTaskId, ct)).ConfigureAwait(false);
            Log.Ec2ImportProgress(_logger, upload.Image, importTaskId, status.Status, status.Progress);
            upload.Progress.Report(new ImageProgress(1, 4, $"aws: importing snapshot ({status.Status})", status.Progress, 100));
            switch (status.Status)
            {
                case "completed":
                    var snapshot = status.SnapshotId ?? throw TargetFailedException.Import($"snapshot import {importTaskId} completed without a snapshot");
                    Log.Ec2SnapshotImported(_logger, upload.Image, snapshot);
                    return snapshot;
                case "deleting" or "deleted" or "error":
                    throw TargetFailedException.Import($"snapshot import {importTaskId} failed: {status.Message ?? status.Status}");
            }

            if (_time.GetUtcNow() >= deadline)
            {
                await CancelImportAsync(upload, ec2, importTaskId).ConfigureAwait(false);
                throw TargetFailedException.Import(
                    $"snapshot import {importTaskId} did not finish within {_options.Aws?.ImportTimeout} (import_timeout_seconds); it was at {status.Progress}% ({status.Status})");
            }

            await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CancelImportAsync(TargetUpload upload, IEc2Calls ec2, string importTaskId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await ec2.CancelImportAsync(importTaskId, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.Ec2CancelImportFailed(_logger, upload.Image, importTaskId, AwsErrors.Reason(e));
        }
    }

    private async Task DeleteStagingAsync(TargetUpload upload, Amazon.S3.IAmazonS3 s3, string bucket, string key)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await s3.DeleteObjectAsync(bucket, key, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.Ec2StagingDeleteFailed(_logger, upload.Image, bucket, key, AwsErrors.Reason(e));
        }
    }
}
