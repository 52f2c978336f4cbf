using Amazon.Runtime;
using KojiComposer.Builder.Targets;
using KojiComposer.Builder.Targets.Aws;
using KojiComposer.Config;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Targets;
using KojiComposer.Testing;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Tests.Targets.Aws;

/// <summary>A generic S3 store behind TLS with a private CA (<see cref="TlsProxy"/> in front of the real s3rver):
/// <c>ca_bundle</c>, <c>skip_ssl_verification</c> and the system's trust.</summary>
public sealed class GenericS3TlsTests : IAsyncLifetime, IDisposable
{
    private readonly AwsTestKit _kit = new();
    private readonly RecordingLogger<AwsS3Target> _log = new();
    private TlsProxy? _proxy;
    private string _bucket = "";
    private string _caBundle = "";

    public async Task InitializeAsync()
    {
        _bucket = await AwsTestKit.NewBucketAsync();
        _caBundle = Path.Combine(_kit.Work, "ca.pem");
        _proxy = new TlsProxy(TestStack.S3Endpoint, _caBundle);
    }

    public async Task DisposeAsync() => await _proxy!.DisposeAsync();

    public void Dispose() => _kit.Dispose();

    private AwsS3Target Target(string? caBundle, bool skip) => new(
        new TargetsOptions
        {
            GenericS3 = [new GenericS3Options
            {
                Name = "tls", Region = "lab-tls", Endpoint = _proxy!.Url, Bucket = _bucket, Credentials = _kit.CredentialsFile,
                CaBundle = caBundle, SkipSslVerification = skip,
            }],
        },
        _log,
        config => config.MaxErrorRetry = 0);

    [Fact]
    public async Task UploadAsync_TrustsTheStore_WhenItsCaIsInTheBundle()
    {
        var (path, bytes) = _kit.Artifact("disk.qcow2", 200_000);
        var upload = _kit.Upload(path, new AwsS3UploadOptions("lab-tls", false));

        var result = await Target(_caBundle, skip: false).UploadAsync(upload, CancellationToken.None);

        Assert.Equal(bytes, await AwsTestKit.ReadObjectAsync(_bucket, $"{upload.GeneratedName}-disk.qcow2"));
        Assert.StartsWith($"https://127.0.0.1:{_proxy!.Url.Port}/{_bucket}/", result["url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(_log.Lines, l => l.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task UploadAsync_FailsForGood_WhenTheStoresCertificateIsNotTrusted()
    {
        var (path, _) = _kit.Artifact("disk.qcow2", 1000);

        var e = await Assert.ThrowsAsync<TargetFailedException>(() =>
            Target(caBundle: null, skip: false).UploadAsync(_kit.Upload(path, new AwsS3UploadOptions("lab-tls", false)), CancellationToken.None));

        Assert.Equal(JobErrorCodes.UploadingImage, e.Code);
        Assert.False(e.IsTransient);
        Assert.Contains("SSL", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task UploadAsync_WarnsAndUploads_WhenSslVerificationIsSkipped()
    {
        var (path, bytes) = _kit.Artifact("disk.qcow2", 1000);
        var upload = _kit.Upload(path, new AwsS3UploadOptions("lab-tls", false));

        await Target(caBundle: null, skip: true).UploadAsync(upload, CancellationToken.None);

        Assert.Equal(bytes, await AwsTestKit.ReadObjectAsync(_bucket, $"{upload.GeneratedName}-disk.qcow2"));
        Assert.Contains(_log.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("skip_ssl_verification", StringComparison.Ordinal));
    }
}
