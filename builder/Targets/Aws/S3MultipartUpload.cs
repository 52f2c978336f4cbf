using System.Collections.Concurrent;
using System.Net;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Targets.Aws;

/// <summary>
/// A streamed S3 multipart upload of one object (cloud-targets.md §2 step 1, §3): the source is read forward only,
/// one part-size buffer at a time (an xz decompression stream has no length), with several parts in flight and each
/// part tried again on transient errors. A retried target upload (TargetRetry calls UploadAsync again) finds the
/// unfinished multipart upload of the same key and keeps the parts already stored whose size and MD5 ETag match;
/// a canceled or fatally failed upload (or any failure of the last try) is aborted, so no object and no stored parts
/// are left.
/// </summary>
internal sealed class S3MultipartUpload(IAmazonS3 s3, string bucket, string key, string image, ILogger logger)
{
    /// <summary>16 MiB: 10 000 parts (S3's limit) reach 156 GiB, far beyond any disk image.</summary>
    public const int DefaultPartSize = 16 << 20;

    public int PartSize { get; init; } = DefaultPartSize;

    /// <summary>Buffers in use at once: one being filled from the source, the others uploading.</summary>
    public int Parallelism { get; init; } = 4;

    /// <summary>Tries per part (on top of the SDK's own retries).</summary>
    public int PartAttempts { get; init; } = 3;

    public TimeSpan PartRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Abort after a transient failure too (the target's last try: nobody will resume it).</summary>
    public bool AbortOnTransientFailure { get; init; }

    /// <summary>Uploads <paramref name="source"/> as the object; <paramref name="uploaded"/> gets the bytes stored
    /// so far.</summary>
    /// <returns>The object's size and its number of parts.</returns>
    /// <exception cref="AmazonS3Exception">S3 refused a request; transient ones leave the multipart upload to be resumed.</exception>
    /// <exception cref="TargetFailedException">The source could not be read (UploadingImage, 11).</exception>
    public async Task<(long Bytes, int Parts)> UploadAsync(Stream source, Action<long>? uploaded, CancellationToken cancellationToken)
    {
        var (uploadId, stored) = await StartOrResumeAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var (bytes, parts) = await UploadPartsAsync(uploadId, source, stored, uploaded, cancellationToken).ConfigureAwait(false);
            await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = bucket,
                Key = key,
                UploadId = uploadId,
                PartETags = [.. parts.OrderBy(p => p.PartNumber)],
            }, cancellationToken).ConfigureAwait(false);
            return (bytes, parts.Count);
        }
        catch (Exception e) when (AwsErrors.IsCancellation(e, cancellationToken) || AbortOnTransientFailure || !AwsErrors.IsTransient(e))
        {
            await AbortAsync(uploadId).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<(long Bytes, List<PartETag> Parts)> UploadPartsAsync(
        string uploadId, Stream source, Dictionary<int, PartDetail> stored, Action<long>? uploaded, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(Parallelism);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var buffers = new ConcurrentBag<byte[]>();
        var tasks = new List<Task<PartETag>>();
        Exception? firstFailure = null;
        long total = 0;
        long done = 0;

        async Task<PartETag> RunPartAsync(int number, byte[] buffer, int length)
        {
            try
            {
                var tag = await UploadPartAsync(uploadId, number, buffer, length, stored.GetValueOrDefault(number), stop.Token).ConfigureAwait(false);
                uploaded?.Invoke(Interlocked.Add(ref done, length));
                return tag;
            }
            catch (Exception e)
            {
                if (!stop.IsCancellationRequested)
                {
                    Interlocked.CompareExchange(ref firstFailure, e, null);
                }

                await stop.CancelAsync().ConfigureAwait(false);
                throw;
            }
            finally
            {
                buffers.Add(buffer);
                slots.Release();
            }
        }

        try
        {
            for (var number = 1; ; number++)
            {
                await slots.WaitAsync(stop.Token).ConfigureAwait(false);
                var buffer = buffers.TryTake(out var free) ? free : new byte[PartSize];
                int length;
                try
                {
                    length = await source.ReadAtLeastAsync(buffer.AsMemory(0, PartSize), PartSize, throwOnEndOfStream: false, stop.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    slots.Release();
                    throw TargetFailedException.Upload($"cannot read the image: {e.Message}", inner: e);
                }

                if (length == 0 && number > 1)
                {
                    slots.Release();
                    break;
                }

                total += length;
                tasks.Add(RunPartAsync(number, buffer, length));
                if (length < PartSize)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && firstFailure is not null)
        {
            // A part failed and stopped the others: its error is thrown below.
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(tasks).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            throw;
        }

        await Task.WhenAll(tasks).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        if (firstFailure is not null)
        {
            ExceptionDispatchInfo.Throw(firstFailure);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return (total, [.. tasks.Select(t => t.Result)]);
    }

    private async Task<PartETag> UploadPartAsync(string uploadId, int number, byte[] buffer, int length, PartDetail? stored, CancellationToken cancellationToken)
    {
        if (stored is not null && stored.Size == length && stored.ETag is { } etag
            && string.Equals(etag.Trim('"'), Convert.ToHexStringLower(MD5.HashData(buffer.AsSpan(0, length))), StringComparison.OrdinalIgnoreCase))
        {
            return new PartETag(number, etag);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var content = new MemoryStream(buffer, 0, length, writable: false, publiclyVisible: true);
                var response = await s3.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = bucket,
                    Key = key,
                    UploadId = uploadId,
                    PartNumber = number,
                    InputStream = content,
                    PartSize = length,
                    // s3rver (and other S3-compatible stores) would store the aws-chunked framing in the part.
                    UseChunkEncoding = false,
                }, cancellationToken).ConfigureAwait(false);
                return new PartETag(number, response.ETag);
            }
            catch (Exception e) when (attempt < PartAttempts && !cancellationToken.IsCancellationRequested && AwsErrors.IsTransient(e))
            {
                Log.S3PartRetry(logger, image, number, bucket, key, attempt, AwsErrors.Reason(e));
                await Task.Delay(PartRetryDelay * attempt, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The unfinished multipart upload of this key with its stored parts, or a new one.</summary>
    private async Task<(string UploadId, Dictionary<int, PartDetail> Stored)> StartOrResumeAsync(CancellationToken cancellationToken)
    {
        var stored = new Dictionary<int, PartDetail>();
        string? uploadId = null;
        try
        {
            var uploads = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket, Prefix = key }, cancellationToken).ConfigureAwait(false);
            uploadId = uploads.MultipartUploads?
                .Where(u => string.Equals(u.Key, key, StringComparison.Ordinal))
                .OrderByDescending(u => u.Initiated ?? DateTime.MinValue)
                .Select(u => u.UploadId)
                .FirstOrDefault();
            if (uploadId is not null)
            {
                var marker = (string?)null;
                do
                {
                    var page = await s3.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = key, UploadId = uploadId, PartNumberMarker = marker }, cancellationToken).ConfigureAwait(false);
                    foreach (var part in page.Parts ?? [])
                    {
                        if (part.PartNumber is { } n)
                        {
                            stored[n] = part;
                        }
                    }

                    marker = page.IsTruncated == true ? page.NextPartNumberMarker?.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
                }
                while (marker is not null);
                Log.S3Resuming(logger, image, bucket, key, stored.Count);
            }
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.NotImplemented or HttpStatusCode.MethodNotAllowed
            || e.ErrorCode is "NotImplemented" or "MethodNotAllowed" or "NoSuchUpload")
        {
            Log.S3CannotResume(logger, image, bucket, key, AwsErrors.Reason(e));
            uploadId = null;
            stored.Clear();
        }

        if (uploadId is null)
        {
            var created = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = key }, cancellationToken).ConfigureAwait(false);
            uploadId = created.UploadId;
        }

        return (uploadId, stored);
    }

    /// <summary>Aborts every unfinished multipart upload of this key (a retry that will not come); failures are
    /// logged, never thrown.</summary>
    public async Task AbortUnfinishedAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            var uploads = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket, Prefix = key }, timeout.Token).ConfigureAwait(false);
            foreach (var upload in (uploads.MultipartUploads ?? []).Where(u => string.Equals(u.Key, key, StringComparison.Ordinal)))
            {
                await AbortAsync(upload.UploadId).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            Log.S3AbortFailed(logger, image, bucket, key, AwsErrors.Reason(e));
        }
    }

    private async Task AbortAsync(string uploadId)
    {
        // Not the caller's token: a canceled upload must still be cleaned up (a bounded wait of its own).
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId }, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.S3AbortFailed(logger, image, bucket, key, AwsErrors.Reason(e));
        }
    }
}
