using Amazon.Runtime;
using KojiComposer.Builder.Targets;
using KojiComposer.Builder.Targets.Aws;
using KojiComposer.Config;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Targets;

namespace KojiComposer.Builder.Tests.Targets.Aws;

/// <summary>Resuming and aborting multipart uploads, against <see cref="FakeS3"/> (s3rver cannot list or abort
/// multipart uploads).</summary>
public sealed class S3MultipartUploadTests : IAsyncLifetime, IDisposable
{
    private readonly AwsTestKit _kit = new();
    private readonly RecordingLogger<AwsS3Target> _log = new();
    private readonly FakeS3 _s3 = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _s3.DisposeAsync();

    public void Dispose() => _kit.Dispose();

    private AwsS3Target Target() => new(
        new TargetsOptions { Aws = new AwsTargetOptions { S3Bucket = "bucket-1", Credentials = _kit.CredentialsFile, S3Endpoint = _s3.Url, ForcePathStyle = true } },
        _log,
        config => config.MaxErrorRetry = 0)
    {
        PartSize = 1 << 20,
        PartRetryDelay = TimeSpan.FromMilliseconds(50),
    };

    [Fact]
    public async Task UploadAsync_ResumesTheUnfinishedUpload_WhenRetriedAfterATransientFailure()
    {
        var (path, bytes) = _kit.Artifact("disk.raw", (5 << 20) + 100);
        _s3.FailPart(3, 503, "SlowDown", times: 3);
        var target = Target();
        var upload = _kit.Upload(path, new AwsS3UploadOptions("us-east-1", false));

        var first = await Assert.ThrowsAsync<TargetFailedException>(() => target.UploadAsync(upload, CancellationToken.None));
        var kept = _s3.StoredParts.ToHashSet();
        var putsBefore = _s3.PartPuts.Count;
        await target.UploadAsync(upload, CancellationToken.None);

        Assert.True(first.IsTransient);
        Assert.Equal(JobErrorCodes.UploadingImage, first.Code);
        Assert.Equal(1, _s3.Count("Initiate"));
        Assert.Equal(0, _s3.Count("Abort"));
        Assert.Equal(1, _s3.Count("ListParts"));
        Assert.NotEmpty(kept);
        var again = _s3.PartPuts.Skip(putsBefore).ToList();
        Assert.Empty(again.Intersect(kept));
        Assert.Equal(6, kept.Count + again.Count);
        Assert.Equal(bytes, _s3.Object);
        Assert.Contains(_log.Lines, l => l.Message.Contains($"({kept.Count} parts already there)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UploadAsync_AbortsTheMultipartUpload_WhenTheLastTryFailsTransiently()
    {
        var (path, _) = _kit.Artifact("disk.raw", (3 << 20) + 100);
        _s3.FailPart(2, 503, "SlowDown", times: 6);
        var target = Target();
        var upload = _kit.Upload(path, new AwsS3UploadOptions("us-east-1", false));

        var e = await Assert.ThrowsAsync<TargetFailedException>(() =>
            new TargetRetry(2, TimeSpan.Zero).RunAsync((last, ct) => target.UploadAsync(upload with { IsLastAttempt = last }, ct), CancellationToken.None));

        Assert.Equal(JobErrorCodes.UploadingImage, e.Code);
        Assert.Contains("SlowDown", e.Message, StringComparison.Ordinal);
        Assert.Contains("(tried 2 times)", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, _s3.Count("Initiate"));
        Assert.Equal(1, _s3.Count("Abort"));
        Assert.Empty(_s3.StoredParts);
        Assert.Null(_s3.Object);
    }

    [Fact]
    public async Task AbandonAsync_AbortsTheMultipartUploadKeptForARetry()
    {
        var (path, _) = _kit.Artifact("disk.raw", (3 << 20) + 100);
        _s3.FailPart(2, 503, "SlowDown", times: 3);
        var target = Target();
        var upload = _kit.Upload(path, new AwsS3UploadOptions("us-east-1", false));

        var first = await Assert.ThrowsAsync<TargetFailedException>(() => target.UploadAsync(upload, CancellationToken.None));
        var keptForRetry = _s3.StoredParts.Count;
        await target.AbandonAsync(upload);

        Assert.True(first.IsTransient);
        Assert.NotEqual(0, keptForRetry);
        Assert.Equal(1, _s3.Count("Abort"));
        Assert.Empty(_s3.StoredParts);
        Assert.Null(_s3.Object);
    }

    [Fact]
    public async Task UploadAsync_IsTransientAndKeepsTheParts_WhenAPartGetsHttp408()
    {
        var (path, _) = _kit.Artifact("disk.raw", (2 << 20) + 100);
        _s3.FailPart(2, 408, "ClientTimeout", times: 3);

        var e = await Assert.ThrowsAsync<TargetFailedException>(() => Target().UploadAsync(_kit.Upload(path, new AwsS3UploadOptions("us-east-1", false)), CancellationToken.None));

        Assert.True(e.IsTransient);
        Assert.Equal(JobErrorCodes.UploadingImage, e.Code);
        Assert.Equal(0, _s3.Count("Abort"));
        Assert.Equal(3, _s3.PartPuts.Count(n => n == 2));
    }

    [Fact]
    public async Task UploadAsync_AbortsTheMultipartUpload_WhenAPartIsRefused()
    {
        var (path, _) = _kit.Artifact("disk.raw", 3 << 20);
        _s3.FailPart(2, 403, "AccessDenied", times: 1);

        var e = await Assert.ThrowsAsync<TargetFailedException>(() => Target().UploadAsync(_kit.Upload(path, new AwsS3UploadOptions("us-east-1", false)), CancellationToken.None));

        Assert.Equal(JobErrorCodes.UploadingImage, e.Code);
        Assert.False(e.IsTransient);
        Assert.Contains("AccessDenied", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, _s3.Count("Abort"));
        Assert.Null(_s3.Object);
        Assert.Empty(_s3.StoredParts);
    }

    [Fact]
    public async Task UploadAsync_AbortsTheMultipartUpload_WhenCanceled()
    {
        var (path, _) = _kit.Artifact("disk.raw", 6 << 20);
        using var cancel = new CancellationTokenSource();
        var upload = _kit.Upload(path, new AwsS3UploadOptions("us-east-1", false)) with
        {
            Progress = new AwsTestKit.SyncProgress([], p =>
            {
                if (p.SubDone > 0)
                {
                    cancel.Cancel();
                }
            }),
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Target().UploadAsync(upload, cancel.Token));

        Assert.Equal(1, _s3.Count("Abort"));
        Assert.Equal(0, _s3.Count("Complete"));
    }

    [Fact]
    public async Task UploadAsync_MakesTheObjectPublicAndReturnsItsPlainUrl_WhenPublic()
    {
        var (path, bytes) = _kit.Artifact("disk.raw", 1000);
        var upload = _kit.Upload(path, new AwsS3UploadOptions("us-east-1", Public: true));

        var result = await Target().UploadAsync(upload, CancellationToken.None);

        Assert.Equal($"{_s3.Url}bucket-1/{upload.GeneratedName}-disk.raw", result["url"]!.GetValue<string>());
        Assert.Equal("public-read", _s3.Requests.All.Single(r => r["op"] == "PutAcl")["x-amz-acl"]);
        Assert.Equal(bytes, _s3.Object);
    }
}
