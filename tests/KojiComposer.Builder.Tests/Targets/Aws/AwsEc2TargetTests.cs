using System.Diagnostics;
using Amazon.Runtime;
using KojiComposer.Builder.Targets;
using KojiComposer.Builder.Targets.Aws;
using KojiComposer.Config;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Targets;
using KojiComposer.Testing;

namespace KojiComposer.Builder.Tests.Targets.Aws;

/// <summary>The <c>aws</c> target: the staging upload against the stack's real s3rver, the EC2 calls through the
/// real AmazonEC2Client against <see cref="FakeEc2"/> (the Query API on loopback).</summary>
public sealed class AwsEc2TargetTests : IAsyncLifetime, IDisposable
{
    private const int PartSize = 5 << 20;
    private readonly AwsTestKit _kit = new();
    private readonly RecordingLogger<AwsEc2Target> _log = new();
    private readonly FakeEc2 _ec2 = new();
    private string _bucket = "";

    public async Task InitializeAsync() => _bucket = await AwsTestKit.NewBucketAsync();

    public async Task DisposeAsync() => await _ec2.DisposeAsync();

    public void Dispose() => _kit.Dispose();

    private static void NoSdkRetries(ClientConfig config) => config.MaxErrorRetry = 0;

    private TargetsOptions Options(string? bucket = "", TimeSpan? importTimeout = null) => new()
    {
        Aws = new AwsTargetOptions
        {
            Bucket = bucket == "" ? _bucket : bucket,
            Credentials = _kit.CredentialsFile,
            S3Endpoint = TestStack.S3Endpoint,
            Ec2Endpoint = _ec2.Url,
            ForcePathStyle = true,
            PollInterval = TimeSpan.FromMilliseconds(10),
            ImportTimeout = importTimeout ?? TimeSpan.FromMinutes(5),
        },
    };

    private AwsEc2Target Target(TargetsOptions? options = null) =>
        new(options ?? Options(), _log, ec2: null, NoSdkRetries, time: null) { PartSize = PartSize };

    /// <summary><paramref name="raw"/> xz-compressed next to it, as RHUI images are stored in Koji.</summary>
    private static async Task<string> XzAsync(string raw)
    {
        using var xz = Process.Start(new ProcessStartInfo("xz", ["-T1", "-0", "-k", raw]))!;
        await xz.WaitForExitAsync();
        Assert.Equal(0, xz.ExitCode);
        return raw + ".xz";
    }

    [Fact]
    public async Task UploadAsync_RegistersTaggedSharedAmi_FromTheDecompressedImage()
    {
        var (raw, bytes) = _kit.Artifact("image.raw", (11 << 20) + 4321);
        var xz = await XzAsync(raw);
        string? staged = null;
        _ec2.OnImport = async r => staged = AwsTestKit.Sha256((await AwsTestKit.ReadObjectAsync(r["DiskContainer.UserBucket.S3Bucket"]!, r["DiskContainer.UserBucket.S3Key"]!))!);
        _ec2.ImportStates(("active", 20, "converting"), ("active", 70, "validating"), ("completed", 100, null));
        var upload = _kit.Upload(xz, new AwsEc2UploadOptions("eu-west-1", ["123456789012", "210987654321"], SnapshotName: null));

        var result = await Target().UploadAsync(upload, CancellationToken.None);

        Assert.Equal("eu-west-1", result["region"]!.GetValue<string>());
        Assert.Equal("ami-0abc000000000001", result["ami"]!.GetValue<string>());
        Assert.Equal(
            ["ImportSnapshot", "DescribeImportSnapshotTasks", "DescribeImportSnapshotTasks", "DescribeImportSnapshotTasks", "CreateTags", "RegisterImage", "CreateTags",
             "ModifySnapshotAttribute", "ModifyImageAttribute", "ModifySnapshotAttribute", "ModifyImageAttribute"],
            _ec2.Actions);
        Assert.Equal(AwsTestKit.Sha256(bytes), staged);
        var import = _ec2.Single("ImportSnapshot");
        Assert.Equal("RAW", import["DiskContainer.Format"]);
        Assert.Equal(_bucket, import["DiskContainer.UserBucket.S3Bucket"]);
        Assert.Equal(upload.GeneratedName, import["DiskContainer.UserBucket.S3Key"]);
        Assert.Equal(upload.GeneratedName, import["ClientToken"]);
        var register = _ec2.Single("RegisterImage");
        Assert.Equal(upload.GeneratedName, register["Name"]);
        Assert.Equal("x86_64", register["Architecture"]);
        Assert.Equal("uefi-preferred", register["BootMode"]);
        Assert.Equal("true", register["EnaSupport"]);
        Assert.Equal("hvm", register["VirtualizationType"]);
        Assert.Equal("/dev/sda1", register["RootDeviceName"]);
        Assert.Equal("/dev/sda1", register["BlockDeviceMapping.1.DeviceName"]);
        Assert.Equal("snap-0fedcba9876543210", register["BlockDeviceMapping.1.Ebs.SnapshotId"]);
        var tags = _ec2.Requests.All.Where(r => r["Action"] == "CreateTags").ToList();
        Assert.Equal(["snap-0fedcba9876543210", "ami-0abc000000000001"], tags.Select(t => t["ResourceId.1"]));
        Assert.All(tags, t => Assert.Equal(("Name", upload.GeneratedName), (t["Tag.1.Key"], t["Tag.1.Value"])));
        var snapshotShares = _ec2.Requests.All.Where(r => r["Action"] == "ModifySnapshotAttribute").ToList();
        Assert.Equal(["123456789012", "210987654321"], snapshotShares.Select(s => s["UserId.1"]));
        Assert.All(snapshotShares, s => Assert.Equal(("createVolumePermission", "add", "snap-0fedcba9876543210"), (s["Attribute"], s["OperationType"], s["SnapshotId"])));
        var imageShares = _ec2.Requests.All.Where(r => r["Action"] == "ModifyImageAttribute").ToList();
        Assert.Equal(["123456789012", "210987654321"], imageShares.Select(s => s["LaunchPermission.Add.1.UserId"]));
        Assert.All(imageShares, s => Assert.Equal("ami-0abc000000000001", s["ImageId"]));
        Assert.Empty(await AwsTestKit.KeysAsync(_bucket));
        Assert.Contains(_kit.Reported, p => p.SubDone == 70 && p.SubTotal == 100 && p.Stage!.Contains("importing snapshot", StringComparison.Ordinal));
        Assert.Contains(_log.Lines, l => l.Message.Contains("in 3 parts", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("aarch64", "uefi", "arm64", "uefi")]
    [InlineData("x86_64", "legacy", "x86_64", "legacy-bios")]
    public async Task UploadAsync_RegistersTheImagesArchitectureAndBootMode_WithTheSnapshotName(string arch, string bootMode, string ec2Arch, string ec2BootMode)
    {
        var (raw, _) = _kit.Artifact("disk.raw", 100_000);
        var upload = _kit.Upload(raw, new AwsEc2UploadOptions("us-east-2", [], SnapshotName: "rhel-9.6-" + arch), arch, bootMode);

        await Target().UploadAsync(upload, CancellationToken.None);

        var register = _ec2.Single("RegisterImage");
        Assert.Equal((ec2Arch, ec2BootMode, "rhel-9.6-" + arch), (register["Architecture"], register["BootMode"], register["Name"]));
        Assert.DoesNotContain("ModifyImageAttribute", _ec2.Actions);
        Assert.Empty(await AwsTestKit.KeysAsync(_bucket));
    }

    [Fact]
    public async Task UploadAsync_FailsWithImportErrorAndDeletesTheStagingObject_WhenTheImportIsDeleted()
    {
        var (raw, _) = _kit.Artifact("disk.raw", 100_000);
        _ec2.ImportStates(("active", 10, null), ("deleted", 0, "ClientError: Disk validation failed [Unsupported specified file format]"));

        var e = await Assert.ThrowsAsync<TargetFailedException>(() =>
            Target().UploadAsync(_kit.Upload(raw, new AwsEc2UploadOptions("eu-west-1", [], null)), CancellationToken.None));

        Assert.Equal(JobErrorCodes.ImportingImage, e.Code);
        Assert.Contains("Disk validation failed", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("RegisterImage", _ec2.Actions);
        Assert.Empty(await AwsTestKit.KeysAsync(_bucket));
    }

    [Fact]
    public async Task UploadAsync_FailsWithSharingError_WhenEc2RefusesAnAccount()
    {
        var (raw, _) = _kit.Artifact("disk.raw", 100_000);
        _ec2.Fail("ModifySnapshotAttribute", 400, "InvalidUserID.Malformed", "Invalid user id: \"12345\"");

        var e = await Assert.ThrowsAsync<TargetFailedException>(() =>
            Target().UploadAsync(_kit.Upload(raw, new AwsEc2UploadOptions("eu-west-1", ["12345"], null)), CancellationToken.None));

        Assert.Equal(TargetFailedException.SharingTarget, e.Code);
        Assert.Contains("InvalidUserID.Malformed", e.Message, StringComparison.Ordinal);
        Assert.Contains("12345", e.Message, StringComparison.Ordinal);
        Assert.False(e.IsTransient);
    }

    [Fact]
    public async Task UploadAsync_GoesOnFromTheRegistration_WhenRetriedAfterThrottling()
    {
        var (raw, _) = _kit.Artifact("disk.raw", 100_000);
        _ec2.Fail("RegisterImage", 503, "RequestLimitExceeded", "Request limit exceeded.");
        var target = Target();
        var upload = _kit.Upload(raw, new AwsEc2UploadOptions("eu-west-1", ["123456789012"], null));

        var first = await Assert.ThrowsAsync<TargetFailedException>(() => target.UploadAsync(upload, CancellationToken.None));
        var result = await target.UploadAsync(upload, CancellationToken.None);

        Assert.True(first.IsTransient);
        Assert.Equal(JobErrorCodes.ImportingImage, first.Code);
        Assert.Contains("RequestLimitExceeded", first.Message, StringComparison.Ordinal);
        Assert.Equal(
            ["ImportSnapshot", "DescribeImportSnapshotTasks", "CreateTags", "RegisterImage", "DescribeImages", "RegisterImage", "CreateTags", "ModifySnapshotAttribute", "ModifyImageAttribute"],
            _ec2.Actions);
        Assert.Equal("ami-0abc000000000001", result["ami"]!.GetValue<string>());
    }

    [Fact]
    public async Task UploadAsync_FailsWithConfigError_WhenThereIsNoStagingBucket()
    {
        var (raw, _) = _kit.Artifact("disk.raw", 10);
        var options = Options(bucket: null);

        var e = await Assert.ThrowsAsync<TargetFailedException>(() =>
            Target(options).UploadAsync(_kit.Upload(raw, new AwsEc2UploadOptions("eu-west-1", [], null)), CancellationToken.None));

        Assert.Equal(JobErrorCodes.InvalidTargetConfig, e.Code);
        Assert.Contains("no bucket", e.Message, StringComparison.Ordinal);
        Assert.Empty(_ec2.Actions);
        Assert.Contains(Target(options).CheckConfiguration(), p => p.Contains("no bucket", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UploadAsync_CancelsTheImportAndDeletesTheStagingObject_WhenCanceledDuringTheImport()
    {
        var (raw, _) = _kit.Artifact("disk.raw", 100_000);
        _ec2.ImportStates(("active", 5, null));
        using var cancel = new CancellationTokenSource();
        var upload = _kit.Upload(raw, new AwsEc2UploadOptions("eu-west-1", [], null)) with
        {
            Progress = new AwsTestKit.SyncProgress([], p =>
            {
                if (p.Stage?.Contains("importing", StringComparison.Ordinal) == true)
                {
                    cancel.Cancel();
                }
            }),
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Target().UploadAsync(upload, cancel.Token));

        Assert.Equal(["ImportSnapshot", "DescribeImportSnapshotTasks", "CancelImportTask"], _ec2.Actions);
        Assert.Equal("import-snap-0123456789abcdef0", _ec2.Single("CancelImportTask")["ImportTaskId"]);
        Assert.Empty(await AwsTestKit.KeysAsync(_bucket));
    }

    [Fact]
    public async Task UploadAsync_FailsWithImportError_WhenTheImportTimesOut()
    {
        var (raw, _) = _kit.Artifact("disk.raw", 100_000);
        _ec2.ImportStates(("active", 42, null));

        var e = await Assert.ThrowsAsync<TargetFailedException>(() =>
            Target(Options(importTimeout: TimeSpan.FromMilliseconds(50))).UploadAsync(_kit.Upload(raw, new AwsEc2UploadOptions("eu-west-1", [], null)), CancellationToken.None));

        Assert.Equal(JobErrorCodes.ImportingImage, e.Code);
        Assert.Contains("did not finish", e.Message, StringComparison.Ordinal);
        Assert.Contains("42%", e.Message, StringComparison.Ordinal);
        Assert.Equal("CancelImportTask", _ec2.Actions[^1]);
        Assert.Empty(await AwsTestKit.KeysAsync(_bucket));
    }

    [Fact]
    public async Task UploadAsync_FailsWithUploadError_WhenTheXzArtifactIsCorrupt()
    {
        var path = Path.Combine(_kit.Work, "image.raw.xz");
        await File.WriteAllBytesAsync(path, [0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00, .. new byte[5000].Select((_, i) => (byte)(i * 31))]);

        var e = await Assert.ThrowsAsync<TargetFailedException>(() =>
            Target().UploadAsync(_kit.Upload(path, new AwsEc2UploadOptions("eu-west-1", [], null)), CancellationToken.None));

        Assert.Equal(JobErrorCodes.UploadingImage, e.Code);
        Assert.Contains("cannot read the image", e.Message, StringComparison.Ordinal);
        Assert.Empty(_ec2.Actions);
        Assert.Empty(await AwsTestKit.KeysAsync(_bucket));
    }

    [Fact]
    public void CheckConfiguration_ReportsAnUnreadableCredentialsFile_WithoutCallingAws()
    {
        var missing = Path.Combine(_kit.Work, "nope");
        var problems = Target(new TargetsOptions { Aws = new AwsTargetOptions { Bucket = "b-1", Credentials = missing, Ec2Endpoint = _ec2.Url } }).CheckConfiguration();

        Assert.Contains(problems, p => p.Contains($"cannot read the AWS credentials file '{missing}'", StringComparison.Ordinal));
        Assert.Empty(Target().CheckConfiguration());
        Assert.Empty(_ec2.Actions);
    }

    [Fact]
    public async Task UploadAsync_KeepsWaitingForTheSameImport_WhenTargetRetryRepeatsItAfterAThrottledLookup()
    {
        var (raw, bytes) = _kit.Artifact("disk.raw", 100_000);
        _ec2.Fail("DescribeImportSnapshotTasks", 503, "RequestLimitExceeded", "Request limit exceeded.");
        var target = Target();
        var upload = _kit.Upload(raw, new AwsEc2UploadOptions("eu-west-1", [], null));
        byte[]? stagedDuringRetry = null;
        var retry = new TargetRetry(3, TimeSpan.Zero)
        {
            OnRetry = (_, _, _) => stagedDuringRetry = AwsTestKit.ReadObjectAsync(_bucket, upload.GeneratedName).GetAwaiter().GetResult(),
        };

        var result = await retry.RunAsync(ct => target.UploadAsync(upload, ct), CancellationToken.None);

        Assert.Equal("ami-0abc000000000001", result["ami"]!.GetValue<string>());
        Assert.Equal(["ImportSnapshot", "DescribeImportSnapshotTasks", "DescribeImportSnapshotTasks", "CreateTags", "RegisterImage", "CreateTags"], _ec2.Actions);
        Assert.Equal(bytes, stagedDuringRetry);
        Assert.Empty(await AwsTestKit.KeysAsync(_bucket));
    }

    [Fact]
    public async Task UploadAsync_CancelsTheImportAndDeletesTheStagingObject_WhenTheLastTryIsThrottled()
    {
        var (raw, _) = _kit.Artifact("disk.raw", 100_000);
        _ec2.Fail("DescribeImportSnapshotTasks", 503, "RequestLimitExceeded", "Request limit exceeded.", times: 2);
        var target = Target();
        var upload = _kit.Upload(raw, new AwsEc2UploadOptions("eu-west-1", [], null));

        var e = await Assert.ThrowsAsync<TargetFailedException>(() =>
            new TargetRetry(2, TimeSpan.Zero).RunAsync((last, ct) => target.UploadAsync(upload with { IsLastAttempt = last }, ct), CancellationToken.None));

        Assert.Equal(JobErrorCodes.ImportingImage, e.Code);
        Assert.Contains("(tried 2 times)", e.Message, StringComparison.Ordinal);
        Assert.Equal(["ImportSnapshot", "DescribeImportSnapshotTasks", "DescribeImportSnapshotTasks", "CancelImportTask"], _ec2.Actions);
        Assert.Empty(await AwsTestKit.KeysAsync(_bucket));
    }

    [Fact]
    public async Task CheckConfiguration_LetsAnS3OnlyWorkerStart_AndItsAwsUploadsFailWithConfigError()
    {
        var options = new TargetsOptions { Aws = new AwsTargetOptions { S3Bucket = "images-1", Credentials = _kit.CredentialsFile, Ec2Endpoint = _ec2.Url } };
        var (raw, _) = _kit.Artifact("disk.raw", 1000);

        var problems = Target(options).CheckConfiguration();
        var e = await Assert.ThrowsAsync<TargetFailedException>(() =>
            Target(options).UploadAsync(_kit.Upload(raw, new AwsEc2UploadOptions("eu-west-1", [], null)), CancellationToken.None));

        Assert.Empty(problems);
        Assert.Empty(new AwsS3Target(options, new RecordingLogger<AwsS3Target>()).CheckConfiguration());
        Assert.Equal(JobErrorCodes.InvalidTargetConfig, e.Code);
        Assert.Contains("[builder.targets.aws] has no bucket", e.Message, StringComparison.Ordinal);
        Assert.Contains(Target(new TargetsOptions { Aws = new AwsTargetOptions { Ec2Endpoint = _ec2.Url } }).CheckConfiguration(), p => p.Contains("no bucket", StringComparison.Ordinal));
        Assert.Empty(_ec2.Actions);
    }

    [Fact]
    public async Task AbandonAsync_CancelsTheImportAndDeletesTheStagingObject_KeptForARetry()
    {
        var (raw, _) = _kit.Artifact("disk.raw", 100_000);
        _ec2.Fail("DescribeImportSnapshotTasks", 503, "RequestLimitExceeded", "Request limit exceeded.");
        var target = Target();
        var upload = _kit.Upload(raw, new AwsEc2UploadOptions("eu-west-1", [], null));

        var first = await Assert.ThrowsAsync<TargetFailedException>(() => target.UploadAsync(upload, CancellationToken.None));
        var keptForRetry = await AwsTestKit.KeysAsync(_bucket);
        await target.AbandonAsync(upload);
        await target.AbandonAsync(upload);

        Assert.True(first.IsTransient);
        Assert.Equal([upload.GeneratedName], keptForRetry);
        Assert.Equal(["ImportSnapshot", "DescribeImportSnapshotTasks", "CancelImportTask"], _ec2.Actions);
        Assert.Empty(await AwsTestKit.KeysAsync(_bucket));
    }

    [Fact]
    public async Task UploadAsync_TakesTheAmiEc2Made_WhenRetriedAfterRegisterImageLostItsAnswer()
    {
        var (raw, _) = _kit.Artifact("disk.raw", 100_000);
        _ec2.RegisterButFail(503, "InternalError", "An internal error has occurred.");
        var target = Target();
        var upload = _kit.Upload(raw, new AwsEc2UploadOptions("eu-west-1", ["123456789012"], "my-image"));

        var result = await new TargetRetry(3, TimeSpan.Zero).RunAsync(ct => target.UploadAsync(upload, ct), CancellationToken.None);

        Assert.Equal("ami-0abc000000000001", result["ami"]!.GetValue<string>());
        Assert.Equal(
            ["ImportSnapshot", "DescribeImportSnapshotTasks", "CreateTags", "RegisterImage", "DescribeImages", "CreateTags", "ModifySnapshotAttribute", "ModifyImageAttribute"],
            _ec2.Actions);
        Assert.Equal("my-image", _ec2.Requests.All.Single(r => r["Action"] == "DescribeImages")["Filter.1.Value.1"]);
        Assert.Equal("self", _ec2.Requests.All.Single(r => r["Action"] == "DescribeImages")["Owner.1"]);
    }
}
