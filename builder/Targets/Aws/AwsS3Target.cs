using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using KojiComposer.Config;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.Contracts.Targets;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Targets.Aws;

/// <summary>
/// The <c>aws.s3</c> target (cloud-targets.md §3): the artifact as object <c>&lt;generated name&gt;-&lt;export
/// filename&gt;</c> in the store serving the task's region (a generic S3 store configured for that region, else AWS S3
/// from <c>[builder.targets.aws]</c>), by a streamed multipart upload; the result is <c>{"url"}</c>, a presigned GET
/// URL valid 7 days (S3's maximum), or for <c>public</c> uploads the object's plain URL after a public-read ACL.
/// Errors: configuration 2, upload/ACL/presign 11 with S3's reason; throttling, 5xx and dropped connections are
/// transient (a retry resumes the multipart upload).
/// </summary>
public sealed class AwsS3Target : IUploadTarget
{
    /// <summary>How long the result's URL works: 7 days, the longest a SigV4 presigned URL may live.</summary>
    internal static readonly TimeSpan UrlLifetime = TimeSpan.FromDays(7);

    private readonly TargetsOptions _options;
    private readonly ILogger<AwsS3Target> _logger;
    private readonly Action<ClientConfig>? _tweak;

    /// <summary>The target of a worker with <paramref name="options"/>.</summary>
    public AwsS3Target(TargetsOptions options, ILogger<AwsS3Target> logger)
        : this(options, logger, tweak: null)
    {
    }

    /// <summary>Tests: <paramref name="tweak"/> adjusts every S3 client's configuration (fewer SDK retries).</summary>
    internal AwsS3Target(TargetsOptions options, ILogger<AwsS3Target> logger, Action<ClientConfig>? tweak)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger;
        _tweak = tweak;
    }

    /// <inheritdoc />
    public string Type => UploadTargetTypes.AwsS3;

    /// <summary>Multipart part size (tests make it small).</summary>
    internal int PartSize { get; init; } = S3MultipartUpload.DefaultPartSize;

    /// <summary>First wait before a failed part is tried again (tests make it short).</summary>
    internal TimeSpan PartRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public IReadOnlyList<string> CheckConfiguration()
    {
        var problems = new List<string>();
        if (_options.Aws is { } aws)
        {
            if (aws.EffectiveS3Bucket is null)
            {
                problems.Add("[builder.targets.aws] has no s3_bucket (nor bucket): aws.s3 uploads to AWS need one");
            }

            if (aws.EffectiveS3Credentials is { } file && AwsCredentialFile.Problem(file, aws.Profile) is { } problem)
            {
                problems.Add(problem);
            }
        }

        foreach (var generic in _options.GenericS3)
        {
            var store = S3Store.ForS3Upload(_options, generic.Region);
            problems.AddRange(store.Problems().Select(p => $"{store.Description}: {p}"));
        }

        return problems;
    }

    /// <inheritdoc />
    public async Task<JsonObject> UploadAsync(TargetUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var options = upload.Options as AwsS3UploadOptions
            ?? throw TargetFailedException.Config($"aws.s3 got upload options of another target ({upload.Options.GetType().Name})");
        var store = S3Store.ForS3Upload(_options, options.Region);
        var key = $"{upload.GeneratedName}-{upload.ExportFilename}";
        if (store.SkipSslVerification)
        {
            Log.S3SkipSslVerification(_logger, upload.Image, store.Description);
        }

        using var s3 = store.CreateClient(_tweak);
        Log.S3Upload(_logger, upload.Image, store.Description, store.Bucket, key);
        var size = new FileInfo(upload.ArtifactPath).Length;
        var totalMiB = (int)Math.Max(1, (size + (1 << 20) - 1) >> 20);
        var stage = $"aws.s3: uploading to {store.Description} bucket {store.Bucket}";
        upload.Progress.Report(new ImageProgress(0, 2, stage, 0, totalMiB));
        try
        {
            var multipart = new S3MultipartUpload(s3, store.Bucket, key, upload.Image, _logger) { PartSize = PartSize, PartRetryDelay = PartRetryDelay, AbortOnTransientFailure = upload.IsLastAttempt };
            long bytes;
            int parts;
            await using (var source = new FileStream(upload.ArtifactPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan))
            {
                (bytes, parts) = await multipart.UploadAsync(
                    source,
                    done => upload.Progress.Report(new ImageProgress(0, 2, stage, (int)(done >> 20), totalMiB)),
                    cancellationToken).ConfigureAwait(false);
            }

            Log.S3Uploaded(_logger, upload.Image, bytes, parts, store.Bucket, key);
        }
        catch (Exception e) when (!AwsErrors.IsCancellation(e, cancellationToken))
        {
            throw AwsErrors.Failure(JobErrorCodes.UploadingImage, $"uploading to {store.Description} bucket {store.Bucket}", e);
        }

        upload.Progress.Report(new ImageProgress(1, 2, "aws.s3: making the URL"));
        string url;
        try
        {
            url = await UrlAsync(s3, store, key, options.Public, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The object is complete but the upload failed or was canceled: no result points at it, so it goes
            // (cloud-targets.md §1: we delete what we can). A retry uploads it again under the same key.
            await DeleteAsync(s3, store.Bucket, key, upload.Image).ConfigureAwait(false);
            throw;
        }

        upload.Progress.Report(new ImageProgress(2, 2, "aws.s3: done"));
        return new JsonObject { ["url"] = url };
    }

    private async Task DeleteAsync(AmazonS3Client s3, string bucket, string key, string image)
    {
        // Not the caller's token: a canceled upload must still be cleaned up (a bounded wait of its own).
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await s3.DeleteObjectAsync(bucket, key, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.S3DeleteFailed(_logger, image, bucket, key, AwsErrors.Reason(e));
        }
    }

    /// <inheritdoc />
    public async Task AbandonAsync(TargetUpload upload)
    {
        ArgumentNullException.ThrowIfNull(upload);
        if (upload.Options is not AwsS3UploadOptions options)
        {
            return;
        }

        var key = $"{upload.GeneratedName}-{upload.ExportFilename}";
        try
        {
            var store = S3Store.ForS3Upload(_options, options.Region);
            using var s3 = store.CreateClient(_tweak);
            await new S3MultipartUpload(s3, store.Bucket, key, upload.Image, _logger).AbortUnfinishedAsync().ConfigureAwait(false);
        }
        catch (TargetFailedException e)
        {
            Log.S3AbortFailed(_logger, upload.Image, "?", key, e.Message);
        }
    }

    /// <summary>A presigned GET URL (7 days; its scheme follows the endpoint's, as s3rver and any http store need),
    /// or for a public object the plain URL after a public-read ACL.</summary>
    private static async Task<string> UrlAsync(AmazonS3Client s3, S3Store store, string key, bool isPublic, CancellationToken cancellationToken)
    {
        try
        {
            var presigned = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
            {
                BucketName = store.Bucket,
                Key = key,
                Verb = HttpVerb.GET,
                // A few seconds short of the maximum: the SDK rounds the lifetime up and refuses anything above 604800 s.
                Expires = DateTime.UtcNow.Add(UrlLifetime).AddSeconds(-5),
                Protocol = store.Endpoint is { Scheme: "http" } ? Protocol.HTTP : Protocol.HTTPS,
            }).ConfigureAwait(false);
            if (!isPublic)
            {
                return presigned;
            }

            await s3.PutObjectAclAsync(new PutObjectAclRequest { BucketName = store.Bucket, Key = key, ACL = S3CannedACL.PublicRead }, cancellationToken).ConfigureAwait(false);
            var plain = new Uri(presigned);
            return plain.GetLeftPart(UriPartial.Path);
        }
        catch (Exception e) when (!AwsErrors.IsCancellation(e, cancellationToken))
        {
            throw AwsErrors.Failure(JobErrorCodes.UploadingImage, isPublic ? "making the object public" : "presigning the object's URL", e);
        }
    }
}
