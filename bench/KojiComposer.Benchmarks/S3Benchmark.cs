using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using KojiComposer.Builder.Targets;
using KojiComposer.Builder.Targets.Aws;
using KojiComposer.Config;
using KojiComposer.Contracts.Images;
using KojiComposer.Contracts.Targets;
using KojiComposer.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace KojiComposer.Benchmarks;

/// <summary>
/// <c>s3 [GiB] [runs]</c>: the <c>aws.s3</c> target's streamed multipart upload (16 MiB parts, several in flight)
/// of a file to the test stack's s3rver against one plain HTTP PUT of the same bytes to a presigned PUT URL of the
/// same s3rver, in the same run. Best of N runs each; prints MiB/s of both and their ratio. Needs the test stack
/// (<c>. .test-stack/env</c>).
/// </summary>
internal static class S3Benchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var gib = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 1.0;
        var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;
        var size = (long)(gib * 1024 * 1024 * 1024);
        var work = Directory.CreateTempSubdirectory("kc-bench-s3-");
        var bucket = "kc-bench-" + Guid.NewGuid().ToString("N")[..16];
        using var s3 = new AmazonS3Client(
            new BasicAWSCredentials(TestStack.S3AccessKey, TestStack.S3AccessKey),
            new AmazonS3Config
            {
                ServiceURL = TestStack.S3Endpoint.ToString(),
                ForcePathStyle = true,
                AuthenticationRegion = "us-east-1",
                RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
                ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            });
        try
        {
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket }).ConfigureAwait(false);
            var file = Path.Combine(work.FullName, "disk.raw");
            await WriteFileAsync(file, size).ConfigureAwait(false);
            var credentials = Path.Combine(work.FullName, "credentials");
            await File.WriteAllTextAsync(credentials, $"[default]\naws_access_key_id = {TestStack.S3AccessKey}\naws_secret_access_key = {TestStack.S3AccessKey}\n").ConfigureAwait(false);
            var target = new AwsS3Target(
                new TargetsOptions { Aws = new AwsTargetOptions { S3Bucket = bucket, Credentials = credentials, S3Endpoint = TestStack.S3Endpoint, ForcePathStyle = true } },
                NullLogger<AwsS3Target>.Instance);
            Console.WriteLine($"s3 benchmark: {gib:0.##} GiB file, {runs} runs each, s3rver at {TestStack.S3Endpoint}, {Environment.ProcessorCount} cores");

            var raw = new List<double>();
            var ours = new List<double>();
            var partsOnly = new List<double>();
            for (var round = 0; round < runs; round++)
            {
                raw.Add(await PlainPutAsync(s3, bucket, $"raw-{round}", file, size).ConfigureAwait(false));
                await s3.DeleteObjectAsync(bucket, $"raw-{round}").ConfigureAwait(false);

                var totalMiB = (int)((size + (1 << 20) - 1) >> 20);
                var watch = new Stopwatch();
                var upload = new TargetUpload
                {
                    ComposeId = Guid.NewGuid(),
                    Image = "bench",
                    Distribution = "bench",
                    Arch = "x86_64",
                    ImageType = "guest-image",
                    ArtifactPath = file,
                    ExportFilename = "disk.raw",
                    Options = new AwsS3UploadOptions("us-east-1", Public: false),
                    GeneratedName = $"ours-{round}",
                    Progress = new LastPart(totalMiB, watch),
                    WorkDirectory = work.FullName,
                };
                watch.Start();
                await target.UploadAsync(upload, CancellationToken.None).ConfigureAwait(false);
                ours.Add(size / watch.Elapsed.TotalSeconds);
                partsOnly.Add(size / ((LastPart)upload.Progress).At.TotalSeconds);
                await s3.DeleteObjectAsync(bucket, $"ours-{round}-disk.raw").ConfigureAwait(false);
            }

            var rawBest = raw.Max();
            var oursBest = ours.Max();
            Console.WriteLine($"  plain PUT (one request):  {rawBest / 1048576:0} MiB/s (runs: {Runs(raw)})");
            Console.WriteLine($"  AwsS3Target (multipart):  {oursBest / 1048576:0} MiB/s (runs: {Runs(ours)})");
            Console.WriteLine($"  ratio:                    {oursBest / rawBest:P0} of the plain PUT");
            Console.WriteLine($"  parts only (until the last part is stored, before CompleteMultipartUpload): {partsOnly.Max() / 1048576:0} MiB/s = {partsOnly.Max() / rawBest:P0} (runs: {Runs(partsOnly)})");
            Console.WriteLine("  (s3rver's CompleteMultipartUpload copies every part into the object; AWS S3 does not)");
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
            try
            {
                await s3.DeleteBucketAsync(bucket).ConfigureAwait(false);
            }
            catch (AmazonS3Exception e)
            {
                Console.Error.WriteLine($"cannot delete bucket {bucket}: {e.Message}");
            }
        }
    }

    /// <summary>Notes when the target reports every MiB stored (the last part done).</summary>
    private sealed class LastPart(int totalMiB, Stopwatch watch) : IProgress<ImageProgress>
    {
        public TimeSpan At { get; private set; }

        public void Report(ImageProgress value)
        {
            if (value.SubDone >= totalMiB && At == TimeSpan.Zero)
            {
                At = watch.Elapsed;
            }
        }
    }

    private static string Runs(List<double> runs) =>
        string.Join(", ", runs.Select(r => (r / 1048576).ToString("0", CultureInfo.InvariantCulture)));

    /// <summary>A file of <paramref name="size"/> bytes that no layer can shortcut: not sparse, not one repeated block.</summary>
    private static async Task WriteFileAsync(string path, long size)
    {
        var block = new byte[16 << 20];
        var random = new Random(42);
        await using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        for (long written = 0; written < size; written += block.Length)
        {
            random.NextBytes(block.AsSpan(0, 4096));
            await output.WriteAsync(block.AsMemory(0, (int)Math.Min(block.Length, size - written))).ConfigureAwait(false);
        }
    }

    /// <summary>One PUT of the whole file to a presigned PUT URL (no SDK, no multipart): the baseline.</summary>
    private static async Task<double> PlainPutAsync(AmazonS3Client s3, string bucket, string key, string file, long size)
    {
        var url = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = bucket,
            Key = key,
            Verb = HttpVerb.PUT,
            Expires = DateTime.UtcNow.AddHours(1),
            Protocol = Protocol.HTTP,
        }).ConfigureAwait(false);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new StreamContent(stream, 1 << 20) };
        request.Content.Headers.ContentLength = size;
        var watch = Stopwatch.StartNew();
        using var response = await http.SendAsync(request).ConfigureAwait(false);
        watch.Stop();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"plain PUT failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}");
        }

        return size / watch.Elapsed.TotalSeconds;
    }
}
