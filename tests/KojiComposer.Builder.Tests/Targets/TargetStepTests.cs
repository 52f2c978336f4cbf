using System.Text.Json.Nodes;
using KojiComposer.Builder.Targets;
using KojiComposer.Builder.Tests.Worker;
using KojiComposer.Config;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.Contracts.Targets;

namespace KojiComposer.Builder.Tests.Targets;

/// <summary>The build step's cloud target run (cloud-targets.md §1): after the image is built, the image type's
/// default target gets the task's upload_options; its result is the image's upload status and target result, and a
/// failed target fails the image with 28.</summary>
public sealed class TargetStepTests
{
    private const string SignedUrl = "https://bucket.s3.example.test/composer-api-x-disk.qcow2?X-Amz-Expires=604800&X-Amz-Signature=0123abcd";

    [Fact]
    public async Task BuildAsync_RecordsTheTargetsResult_WhenTheTargetSucceeds()
    {
        var target = new FakeTarget(UploadTargetTypes.AwsS3, FakeTarget.Returns(new JsonObject { ["url"] = SignedUrl }));
        using var harness = new StepHarness(targets: [target]);

        var outcome = await harness.BuildAsync(WithOptions(new JsonObject { ["region"] = "eu-west-1" }));

        Assert.True(outcome.Success);
        var upload = Assert.Single(outcome.Uploads);
        Assert.Equal(new UploadResult("aws.s3", true, upload.Options), upload);
        Assert.Equal(SignedUrl, (string?)upload.Options["url"]);
        var result = ImageBuildResult.FromJson(outcome.Result!);
        var targetResult = Assert.Single(result.TargetResults)!.AsObject();
        Assert.Equal("org.osbuild.aws.s3", (string?)targetResult["name"]);
        Assert.Equal(SignedUrl, (string?)targetResult["options"]!["url"]);
        Assert.Equal("""{"export_filename":"disk.qcow2","export_name":"qcow2"}""", targetResult["osbuild_artifact"]!.ToJsonString());
        Assert.Null(targetResult["target_error"]);

        var call = Assert.Single(target.Calls);
        Assert.Equal(new AwsS3UploadOptions("eu-west-1", false), call.Options);
        Assert.StartsWith("composer-api-", call.GeneratedName, StringComparison.Ordinal);
        Assert.True(Guid.TryParse(call.GeneratedName["composer-api-".Length..], out _));
        Assert.Equal("disk.qcow2", call.ExportFilename);
        Assert.Equal("hybrid", call.BootMode);
        Assert.Contains(harness.Reporter.Reports, r => r.Phase == ImageBuildPhase.Uploading && r.Progress?.Stage == "AwsS3UploadOptions: halfway");
        Assert.Empty(harness.LeftInWorkDirectory);
    }

    [Fact]
    public async Task BuildAsync_UsesTheConfiguredNamePrefix_ForGeneratedNames()
    {
        var target = new FakeTarget(UploadTargetTypes.AwsS3, FakeTarget.Returns(new JsonObject { ["url"] = "https://x.test/o" }));
        using var harness = new StepHarness(targets: [target], targetOptions: new TargetsOptions { NamePrefix = "koji-", RetryDelay = TimeSpan.Zero });

        await harness.BuildAsync(WithOptions(new JsonObject { ["region"] = "eu-west-1" }));

        Assert.Matches("^koji-[0-9a-f-]{36}$", Assert.Single(target.Calls).GeneratedName);
    }

    [Fact]
    public async Task BuildAsync_FailsTheImageWith28_NamingTheTargetAndItsReason_WhenTheTargetFails()
    {
        var target = new FakeTarget(UploadTargetTypes.AwsS3, FakeTarget.Throws(TargetFailedException.Upload("The specified bucket does not exist")));
        using var harness = new StepHarness(targets: [target]);

        var outcome = await harness.BuildAsync(WithOptions(new JsonObject { ["region"] = "eu-west-1" }));

        Assert.False(outcome.Success);
        Assert.Equal(JobErrorCodes.TargetError, outcome.Error!.Id);
        Assert.Equal("at least one target failed", outcome.Error.Reason);
        Assert.Equal("""[{"id":11,"reason":"The specified bucket does not exist","details":"org.osbuild.aws.s3"}]""", outcome.Error.Details!.ToJsonString());
        var upload = Assert.Single(outcome.Uploads);
        Assert.Equal(("aws.s3", false), (upload.Type, upload.Success));
        var result = ImageBuildResult.FromJson(outcome.Result!);
        Assert.False(result.Success);
        Assert.Equal("failure", result.UploadStatus);
        Assert.Equal(28, (int?)result.JobError!["id"]);
        Assert.Equal("""{"id":11,"reason":"The specified bucket does not exist"}""", Assert.Single(result.TargetResults)!["target_error"]!.ToJsonString());
        Assert.NotNull(outcome.Manifest); // the manifest osbuild ran is kept for /manifests
        Assert.Empty(harness.LeftInWorkDirectory);
    }

    [Fact]
    public async Task BuildAsync_TriesATransientFailureAgain_AndSucceeds_WhenTheCloudRecovers()
    {
        var transient = TargetFailedException.Upload("503 Slow Down", isTransient: true);
        var target = new FakeTarget(
            UploadTargetTypes.AwsS3, FakeTarget.Throws(transient), FakeTarget.Throws(transient), FakeTarget.Returns(new JsonObject { ["url"] = "https://x.test/o" }));
        using var harness = new StepHarness(targets: [target]);

        var outcome = await harness.BuildAsync(WithOptions(new JsonObject { ["region"] = "eu-west-1" }));

        Assert.True(outcome.Success);
        Assert.Equal(3, target.Calls.Count);
        Assert.Single(target.Calls.Select(c => c.GeneratedName).Distinct()); // one upload, one name, however many tries
    }

    [Fact]
    public async Task BuildAsync_FailsSayingHowOftenItTried_WhenTheFailureStaysTransient()
    {
        var target = new FakeTarget(UploadTargetTypes.AwsS3, FakeTarget.Throws(TargetFailedException.Upload("connection reset", isTransient: true)));
        using var harness = new StepHarness(targets: [target], targetOptions: new TargetsOptions { MaxAttempts = 3, RetryDelay = TimeSpan.Zero });

        var outcome = await harness.BuildAsync(WithOptions(new JsonObject { ["region"] = "eu-west-1" }));

        Assert.Equal(3, target.Calls.Count);
        Assert.Equal([false, false, true], target.Calls.Select(c => c.IsLastAttempt));
        Assert.Single(target.Calls.Select(c => c.GeneratedName).Distinct());
        Assert.Equal("connection reset (tried 3 times)", (string?)outcome.Error!.Details![0]!["reason"]);
    }

    [Fact]
    public async Task BuildAsync_DoesNotRetry_AFailureThatIsNotTransient()
    {
        var target = new FakeTarget(UploadTargetTypes.AwsS3, FakeTarget.Throws(TargetFailedException.Config("no bucket configured")));
        using var harness = new StepHarness(targets: [target]);

        var outcome = await harness.BuildAsync(WithOptions(new JsonObject { ["region"] = "eu-west-1" }));

        Assert.Single(target.Calls);
        Assert.Equal(2, (int?)outcome.Error!.Details![0]!["id"]);
    }

    [Fact]
    public async Task BuildAsync_FailsTheImageWith11_WhenATargetLetsALocalIoErrorEscape()
    {
        var target = new FakeTarget(UploadTargetTypes.AwsS3, (_, _) => throw new IOException("No space left on device"));
        using var harness = new StepHarness(targets: [target]);

        var outcome = await harness.BuildAsync(WithOptions(new JsonObject { ["region"] = "eu-west-1" }));

        Assert.Single(target.Calls); // not transient: not tried again
        Assert.Equal("""[{"id":11,"reason":"aws.s3: No space left on device","details":"org.osbuild.aws.s3"}]""", outcome.Error!.Details!.ToJsonString());
    }

    [Fact]
    public async Task BuildAsync_TriesANetworkErrorAgain_ThatATargetLetsEscape()
    {
        var target = new FakeTarget(
            UploadTargetTypes.AwsS3, (_, _) => throw new HttpRequestException("Connection refused (s3.example.test:443)"), FakeTarget.Returns(new JsonObject { ["url"] = "https://x.test/o" }));
        using var harness = new StepHarness(targets: [target]);

        var outcome = await harness.BuildAsync(WithOptions(new JsonObject { ["region"] = "eu-west-1" }));

        Assert.True(outcome.Success);
        Assert.Equal(2, target.Calls.Count);
    }

    [Fact]
    public async Task BuildAsync_FailsWith2_WhenTheOptionsDoNotFitTheImageTypesTarget()
    {
        var target = new FakeTarget(UploadTargetTypes.AwsS3, FakeTarget.Returns([]));
        using var harness = new StepHarness(targets: [target]);

        var outcome = await harness.BuildAsync(WithOptions(new JsonObject { ["regoin"] = "eu-west-1" }));

        Assert.Empty(target.Calls);
        var detail = outcome.Error!.Details![0]!;
        Assert.Equal(2, (int?)detail["id"]);
        Assert.Equal("upload_options for target aws.s3: \"region\" is required and must be a non-empty string", (string?)detail["reason"]);
    }

    [Fact]
    public async Task BuildAsync_FailsWith2_WhenTheWorkerHasNoSuchTarget()
    {
        using var harness = new StepHarness(targets: []);

        var outcome = await harness.BuildAsync(WithOptions(new JsonObject { ["region"] = "eu-west-1" }));

        Assert.Equal("this worker has no aws.s3 target", (string?)outcome.Error!.Details![0]!["reason"]);
    }

    [Fact]
    public async Task BuildAsync_RunsNoTarget_WhenTheRequestHasNoUploadOptions()
    {
        var target = new FakeTarget(UploadTargetTypes.AwsS3, FakeTarget.Returns([]));
        using var harness = new StepHarness(targets: [target]);

        var outcome = await harness.BuildAsync(StepHarness.Request());

        Assert.True(outcome.Success);
        Assert.Empty(target.Calls);
        Assert.Empty(ImageBuildResult.FromJson(outcome.Result!).TargetResults);
    }

    [Fact]
    public async Task BuildAsync_RunsEachUploadTarget_OfAComposerApiRequest_WithItsOwnOptions()
    {
        var target = new FakeTarget(UploadTargetTypes.AwsS3, FakeTarget.Returns(new JsonObject { ["url"] = "https://x.test/o" }));
        using var harness = new StepHarness(targets: [target]);
        var request = StepHarness.Request();
        request.ImageRequest["upload_targets"] = new JsonArray(
            new JsonObject { ["type"] = "koji", ["upload_options"] = new JsonObject() },
            new JsonObject { ["type"] = "aws.s3", ["upload_options"] = new JsonObject { ["region"] = "us-east-2", ["public"] = true } });

        var outcome = await harness.BuildAsync(request);

        Assert.True(outcome.Success);
        Assert.Equal(new AwsS3UploadOptions("us-east-2", true), Assert.Single(target.Calls).Options);
    }

    [Fact]
    public async Task BuildAsync_StopsTheTarget_AndCleansUp_WhenTheComposeIsCanceled()
    {
        var target = new FakeTarget(UploadTargetTypes.AwsS3, FakeTarget.WaitsForCancel());
        using var harness = new StepHarness(targets: [target]);
        using var cancel = new CancellationTokenSource();

        var build = harness.BuildAsync(WithOptions(new JsonObject { ["region"] = "eu-west-1" }), cancel.Token);
        while (target.Calls.Count == 0)
        {
            await Task.Delay(10);
        }

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => build);
        Assert.Empty(harness.LeftInWorkDirectory);
    }

    [Fact]
    public async Task BuildAsync_AbandonsTheUpload_WhenCanceledWhileWaitingToRetry()
    {
        var target = new FakeTarget(UploadTargetTypes.AwsS3, FakeTarget.Throws(TargetFailedException.Upload("slow down", isTransient: true)));
        using var harness = new StepHarness(targets: [target], targetOptions: new TargetsOptions { MaxAttempts = 3, RetryDelay = TimeSpan.FromHours(1) });
        using var cancel = new CancellationTokenSource();

        var build = harness.BuildAsync(WithOptions(new JsonObject { ["region"] = "eu-west-1" }), cancel.Token);
        while (target.Calls.Count == 0)
        {
            await Task.Delay(10);
        }

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => build);
        Assert.Single(target.Calls);
        Assert.Equal(1, target.Abandoned);
    }

    [Fact]
    public async Task BuildAsync_GivesTheTargetAWorkDirectoryInsideTheBuilds_ThatIsRemovedAfterwards()
    {
        string? seen = null;
        var target = new FakeTarget(UploadTargetTypes.AwsS3, (upload, _) =>
        {
            seen = upload.WorkDirectory;
            File.WriteAllText(Path.Combine(upload.WorkDirectory, "disk.raw"), "decompressed");
            return Task.FromResult(new JsonObject { ["url"] = "https://x.test/o" });
        });
        using var harness = new StepHarness(targets: [target]);

        await harness.BuildAsync(WithOptions(new JsonObject { ["region"] = "eu-west-1" }));

        Assert.StartsWith(harness.WorkDirectory, seen, StringComparison.Ordinal);
        Assert.False(Directory.Exists(seen));
    }

    private static ImageBuildRequest WithOptions(JsonObject options)
    {
        var request = StepHarness.Request();
        request.ImageRequest["upload_options"] = options;
        return request;
    }
}
