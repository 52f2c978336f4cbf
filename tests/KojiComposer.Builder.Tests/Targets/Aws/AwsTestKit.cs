using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using KojiComposer.Builder.Targets;
using KojiComposer.Contracts.Images;
using KojiComposer.Contracts.Targets;
using KojiComposer.Testing;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Tests.Targets.Aws;

/// <summary>What the AWS target tests share: a work directory, a credentials file for the stack's s3rver, unique
/// buckets, artifacts with known bytes and the uploads that carry them.</summary>
internal sealed class AwsTestKit : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("kc-aws-test-");

    public AwsTestKit()
    {
        CredentialsFile = Path.Combine(_work.FullName, "credentials");
        File.WriteAllText(CredentialsFile, $"[default]\naws_access_key_id = {TestStack.S3AccessKey}\naws_secret_access_key = {TestStack.S3AccessKey}\n");
    }

    public string Work => _work.FullName;

    /// <summary>A credentials file whose default profile has s3rver's key.</summary>
    public string CredentialsFile { get; }

    public List<ImageProgress> Reported { get; } = [];

    /// <summary>An S3 client of the test itself (to make buckets and read objects back).</summary>
    public static AmazonS3Client Client() => new(
        new BasicAWSCredentials(TestStack.S3AccessKey, TestStack.S3AccessKey),
        new AmazonS3Config
        {
            ServiceURL = TestStack.S3Endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });

    /// <summary>A new, empty bucket on s3rver.</summary>
    public static async Task<string> NewBucketAsync()
    {
        var name = "kc-aws-" + Guid.NewGuid().ToString("N")[..20];
        using var s3 = Client();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = name });
        return name;
    }

    /// <summary>The object's bytes, or null when there is none.</summary>
    public static async Task<byte[]?> ReadObjectAsync(string bucket, string key)
    {
        using var s3 = Client();
        try
        {
            using var response = await s3.GetObjectAsync(bucket, key);
            using var copy = new MemoryStream();
            await response.ResponseStream.CopyToAsync(copy);
            return copy.ToArray();
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchKey")
        {
            return null;
        }
    }

    /// <summary>The keys in <paramref name="bucket"/>.</summary>
    public static async Task<List<string>> KeysAsync(string bucket)
    {
        using var s3 = Client();
        var listing = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        return [.. (listing.S3Objects ?? []).Select(o => o.Key)];
    }

    /// <summary>A file of <paramref name="bytes"/> pseudo-random bytes (seeded), and its bytes.</summary>
    public (string Path, byte[] Bytes) Artifact(string name, int bytes, int seed = 7)
    {
        var data = new byte[bytes];
        new Random(seed).NextBytes(data);
        var path = Path.Combine(Work, name);
        File.WriteAllBytes(path, data);
        return (path, data);
    }

    /// <summary>An upload of <paramref name="path"/> for target options <paramref name="options"/>.</summary>
    public TargetUpload Upload(string path, UploadOptions options, string arch = "x86_64", string? bootMode = "hybrid") => new()
    {
        ComposeId = Guid.NewGuid(),
        Image = "compose test image 0",
        Distribution = "rhel-9.6",
        Arch = arch,
        ImageType = options is AwsEc2UploadOptions ? "aws" : "guest-image",
        ArtifactPath = path,
        ExportFilename = Path.GetFileName(path),
        BootMode = bootMode,
        Options = options,
        GeneratedName = "composer-api-" + Guid.NewGuid().ToString("D"),
        Progress = new SyncProgress(Reported),
        WorkDirectory = Work,
    };

    public static string Sha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public void Dispose() => _work.Delete(recursive: true);

    /// <summary>Progress recorded as it is reported (Progress&lt;T&gt; would post to the thread pool).</summary>
    internal sealed class SyncProgress(List<ImageProgress> into, Action<ImageProgress>? also = null) : IProgress<ImageProgress>
    {
        public void Report(ImageProgress value)
        {
            lock (into)
            {
                into.Add(value);
            }

            also?.Invoke(value);
        }
    }
}

/// <summary>A logger that keeps its lines (to check warnings and that no secret is logged).</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    public List<(LogLevel Level, string Message)> Lines { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Lines)
        {
            Lines.Add((logLevel, formatter(state, exception)));
        }
    }
}
