using System.Net;
using System.Text.RegularExpressions;
using System.Web;
using Amazon.Runtime;
using KojiComposer.Builder.Targets;
using KojiComposer.Builder.Targets.Aws;
using KojiComposer.Config;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Targets;
using KojiComposer.Testing;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Tests.Targets.Aws;

/// <summary>The <c>aws.s3</c> target against the stack's real s3rver (AWS and generic paths), and against a fake
/// answering 503 for the transient classification.</summary>
public sealed class AwsS3TargetTests : IDisposable
{
    private readonly AwsTestKit _kit = new();
    private readonly RecordingLogger<AwsS3Target> _log = new();

    public void Dispose() => _kit.Dispose();

    private static void FewRetries(ClientConfig config) => config.MaxErrorRetry = 0;

    private AwsS3Target Target(TargetsOptions options) => new(options, _log, FewRetries);

    private TargetsOptions AwsOptions(string bucket, Uri? endpoint = null) => new()
    {
        Aws = new AwsTargetOptions
        {
            S3Bucket = bucket,
            Credentials = _kit.CredentialsFile,
            S3Endpoint = endpoint ?? TestStack.S3Endpoint,
            ForcePathStyle = true,
        },
    };

    [Fact]
    public async Task UploadAsync_StoresTheArtifactByteForByteInParts_AndReturnsAPresignedUrlValidSevenDays()
    {
        var bucket = await AwsTestKit.NewBucketAsync();
        var (path, bytes) = _kit.Artifact("disk.qcow2", (40 << 20) + 12345);
        var upload = _kit.Upload(path, new AwsS3UploadOptions("eu-central-1", Public: false));

        var result = await Target(AwsOptions(bucket)).UploadAsync(upload, CancellationToken.None);

        var key = $"{upload.GeneratedName}-disk.qcow2";
        Assert.Equal([key], await AwsTestKit.KeysAsync(bucket));
        var url = new Uri(result["url"]!.GetValue<string>());
        Assert.Equal("http", url.Scheme);
        Assert.Equal($"/{bucket}/{key}", url.AbsolutePath);
        var query = HttpUtility.ParseQueryString(url.Query);
        Assert.InRange(int.Parse(query["X-Amz-Expires"]!, System.Globalization.CultureInfo.InvariantCulture), 7 * 86400 - 60, 7 * 86400);
        using var http = new HttpClient();
        var fetched = await http.GetByteArrayAsync(url);
        Assert.Equal(AwsTestKit.Sha256(bytes), AwsTestKit.Sha256(fetched));
        Assert.Contains(_log.Lines, l => l.Message.Contains("in 3 parts", StringComparison.Ordinal));
        Assert.Contains(_kit.Reported, p => p.SubDone == 40 && p.SubTotal == 41);
        Assert.DoesNotContain(_log.Lines, l => l.Message.Contains("X-Amz-Signature", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UploadAsync_UsesTheGenericStore_WhenItServesTheRegion()
    {
        var bucket = await AwsTestKit.NewBucketAsync();
        var (path, bytes) = _kit.Artifact("image.vmdk", 300_000);
        var options = new TargetsOptions
        {
            // An AWS section whose bucket does not exist: the generic store must win for its region.
            Aws = new AwsTargetOptions { S3Bucket = "no-such-aws-bucket", Credentials = _kit.CredentialsFile },
            GenericS3 = [new GenericS3Options { Name = "lab", Region = "lab-1", Endpoint = TestStack.S3Endpoint, Bucket = bucket, Credentials = _kit.CredentialsFile }],
        };
        var upload = _kit.Upload(path, new AwsS3UploadOptions("lab-1", Public: false));

        var result = await Target(options).UploadAsync(upload, CancellationToken.None);

        Assert.Equal(bytes, await AwsTestKit.ReadObjectAsync(bucket, $"{upload.GeneratedName}-image.vmdk"));
        Assert.StartsWith($"{TestStack.S3Endpoint.ToString().TrimEnd('/')}/{bucket}/", result["url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(_log.Lines, l => l.Message.Contains("generic_s3.lab", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UploadAsync_FailsWithConfigError_WhenNoStoreServesTheRegion()
    {
        var (path, _) = _kit.Artifact("disk.raw", 10);
        var e = await Assert.ThrowsAsync<TargetFailedException>(() =>
            Target(new TargetsOptions()).UploadAsync(_kit.Upload(path, new AwsS3UploadOptions("us-east-1", false)), CancellationToken.None));
        Assert.Equal(JobErrorCodes.InvalidTargetConfig, e.Code);
        Assert.Contains("[builder.targets.aws]", e.Message, StringComparison.Ordinal);
        Assert.False(e.IsTransient);
    }

    [Fact]
    public async Task UploadAsync_FailsWithConfigError_WhenAwsHasNoBucket()
    {
        var (path, _) = _kit.Artifact("disk.raw", 10);
        var options = new TargetsOptions { Aws = new AwsTargetOptions { Credentials = _kit.CredentialsFile } };
        var e = await Assert.ThrowsAsync<TargetFailedException>(() =>
            Target(options).UploadAsync(_kit.Upload(path, new AwsS3UploadOptions("us-east-1", false)), CancellationToken.None));
        Assert.Equal(JobErrorCodes.InvalidTargetConfig, e.Code);
        Assert.Contains("s3_bucket", e.Message, StringComparison.Ordinal);
        Assert.Contains(Target(options).CheckConfiguration(), p => p.Contains("s3_bucket", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UploadAsync_FailsWithConfigError_WhenCredentialsFileIsUnreadable()
    {
        var (path, _) = _kit.Artifact("disk.raw", 10);
        var missing = Path.Combine(_kit.Work, "gone", "credentials");
        var options = new TargetsOptions { Aws = new AwsTargetOptions { S3Bucket = "some-bucket", Credentials = missing, S3Endpoint = TestStack.S3Endpoint } };
        var e = await Assert.ThrowsAsync<TargetFailedException>(() =>
            Target(options).UploadAsync(_kit.Upload(path, new AwsS3UploadOptions("us-east-1", false)), CancellationToken.None));
        Assert.Equal(JobErrorCodes.InvalidTargetConfig, e.Code);
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckConfiguration_NamesProfileAndFile_WithoutTheirSecrets()
    {
        var file = Path.Combine(_kit.Work, "partial");
        File.WriteAllText(file, "[default]\naws_access_key_id = AKIASECRETVALUE123\n[other]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = verysecretvalue\n");
        var noSecret = Target(new TargetsOptions { Aws = new AwsTargetOptions { S3Bucket = "b-1", Credentials = file } }).CheckConfiguration();
        var noProfile = Target(new TargetsOptions { Aws = new AwsTargetOptions { S3Bucket = "b-1", Credentials = file, Profile = "missing" } }).CheckConfiguration();
        var fine = Target(new TargetsOptions { Aws = new AwsTargetOptions { S3Bucket = "b-1", Credentials = file, Profile = "other" } }).CheckConfiguration();

        Assert.Contains(noSecret, p => p.Contains("profile [default]", StringComparison.Ordinal) && p.Contains("aws_secret_access_key", StringComparison.Ordinal));
        Assert.Contains(noProfile, p => p.Contains("no profile [missing]", StringComparison.Ordinal));
        Assert.Empty(fine);
        Assert.All(noSecret.Concat(noProfile), p => Assert.DoesNotContain("AKIA", p, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UploadAsync_FailsWithUploadErrorNamingS3sReason_WhenBucketDoesNotExist()
    {
        var (path, _) = _kit.Artifact("disk.raw", 1000);
        var e = await Assert.ThrowsAsync<TargetFailedException>(() =>
            Target(AwsOptions("kc-aws-does-not-exist")).UploadAsync(_kit.Upload(path, new AwsS3UploadOptions("us-east-1", false)), CancellationToken.None));
        Assert.Equal(JobErrorCodes.UploadingImage, e.Code);
        Assert.Contains("NoSuchBucket", e.Message, StringComparison.Ordinal);
        Assert.False(e.IsTransient);
    }

    [Fact]
    public async Task UploadAsync_IsTransient_WhenTheStoreAnswers503()
    {
        await using var fake = FakeHttpServer.S3Error(503, "SlowDown", "Please reduce your request rate.");
        var (path, _) = _kit.Artifact("disk.raw", 1000);
        var e = await Assert.ThrowsAsync<TargetFailedException>(() =>
            Target(AwsOptions("kc-aws-bucket", fake.Url)).UploadAsync(_kit.Upload(path, new AwsS3UploadOptions("us-east-1", false)), CancellationToken.None));
        Assert.Equal(JobErrorCodes.UploadingImage, e.Code);
        Assert.True(e.IsTransient);
        Assert.Contains("SlowDown", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadAsync_IsTransient_WhenTheStoreRefusesConnections()
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var (path, _) = _kit.Artifact("disk.raw", 1000);
        var e = await Assert.ThrowsAsync<TargetFailedException>(() =>
            Target(AwsOptions("kc-aws-bucket", new Uri($"http://127.0.0.1:{port}"))).UploadAsync(_kit.Upload(path, new AwsS3UploadOptions("us-east-1", false)), CancellationToken.None));
        Assert.Equal(JobErrorCodes.UploadingImage, e.Code);
        Assert.True(e.IsTransient);
    }

    [Fact]
    public async Task UploadAsync_LeavesNoObject_WhenCanceledDuringTheUpload()
    {
        var bucket = await AwsTestKit.NewBucketAsync();
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
        var target = new AwsS3Target(AwsOptions(bucket), _log, FewRetries) { PartSize = 1 << 20 };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => target.UploadAsync(upload, cancel.Token));

        Assert.Empty(await AwsTestKit.KeysAsync(bucket));
        // s3rver has no AbortMultipartUpload; the target tried it all the same.
        Assert.Contains(_log.Lines, l => l.Message.Contains("cannot abort the multipart upload", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UploadAsync_FailsWithUploadErrorAndDeletesTheObject_WhenTheStoreCannotMakeTheObjectPublic()
    {
        var bucket = await AwsTestKit.NewBucketAsync();
        var (path, _) = _kit.Artifact("disk.raw", 1000);
        var e = await Assert.ThrowsAsync<TargetFailedException>(() =>
            Target(AwsOptions(bucket)).UploadAsync(_kit.Upload(path, new AwsS3UploadOptions("us-east-1", Public: true)), CancellationToken.None));
        // s3rver does not implement PutObjectAcl: its reason reaches the user.
        Assert.Equal(JobErrorCodes.UploadingImage, e.Code);
        Assert.Contains("NotImplemented", e.Message, StringComparison.Ordinal);
        Assert.Contains("making the object public", e.Message, StringComparison.Ordinal);
        Assert.Empty(await AwsTestKit.KeysAsync(bucket));
    }
}

/// <summary>The SDK's default credential chain finding nothing. Its own collection: it changes AWS_* environment
/// variables of the process (which no other test reads: they all name a credentials file).</summary>
[CollectionDefinition(nameof(AwsEnvironmentCollection), DisableParallelization = true)]
public sealed class AwsEnvironmentCollection;

[Collection(nameof(AwsEnvironmentCollection))]
public sealed class AwsDefaultChainTests : IDisposable
{
    private static readonly string[] Variables =
        ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE",
         "AWS_EC2_METADATA_DISABLED", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE"];

    private readonly AwsTestKit _kit = new();
    private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);

    public AwsDefaultChainTests()
    {
        foreach (var variable in Variables)
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", Path.Combine(_kit.Work, "no-credentials"));
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", Path.Combine(_kit.Work, "no-config"));
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
    }

    public void Dispose()
    {
        foreach (var (variable, value) in _saved)
        {
            Environment.SetEnvironmentVariable(variable, value);
        }

        _kit.Dispose();
    }

    [Fact]
    public async Task UploadAsync_FailsWithConfigError_WhenTheDefaultChainHasNoCredentials()
    {
        var bucket = await AwsTestKit.NewBucketAsync();
        var (path, _) = _kit.Artifact("disk.raw", 1000);
        var target = new AwsS3Target(
            new TargetsOptions { Aws = new AwsTargetOptions { S3Bucket = bucket, S3Endpoint = TestStack.S3Endpoint, ForcePathStyle = true } },
            new RecordingLogger<AwsS3Target>(),
            config => config.MaxErrorRetry = 0);

        var e = await Assert.ThrowsAsync<TargetFailedException>(() =>
            target.UploadAsync(_kit.Upload(path, new AwsS3UploadOptions("us-east-1", false)), CancellationToken.None));

        Assert.Equal(JobErrorCodes.InvalidTargetConfig, e.Code);
        Assert.Contains("no usable AWS credentials", e.Message, StringComparison.Ordinal);
        Assert.Empty(await AwsTestKit.KeysAsync(bucket));
    }
}
