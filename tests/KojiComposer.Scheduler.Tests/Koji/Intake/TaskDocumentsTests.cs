using System.Text.Json.Nodes;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.Scheduler.Koji.Intake;
using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Tests.Koji.Intake;

/// <summary>The task's attachments from stored composes (osbuildimage-task.md §5.4, §6, TC-05/07/08) and the fault
/// text of a failed compose.</summary>
public sealed class TaskDocumentsTests
{
    private static readonly Guid U = Guid.Parse("43e57e63-ab32-4a8d-854d-3bbc117fdce3");
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private const string Token = "s3cr3t-reservation-token";

    private static ComposeImage Image(int index, ImageState state, string arch = "x86_64", string type = "guest-image", JsonObject? uploadOptions = null)
    {
        var request = new JsonObject
        {
            ["architecture"] = arch,
            ["image_type"] = type,
            ["repositories"] = new JsonArray(new JsonObject { ["baseurl"] = $"https://r/{arch}", ["rhsm"] = false }),
        };
        if (uploadOptions is not null)
        {
            request["upload_options"] = uploadOptions;
        }

        return new ComposeImage
        {
            Index = index,
            Arch = arch,
            ImageType = type,
            ImageRequest = request,
            State = state,
            Attempts = state == ImageState.Pending ? 0 : 1,
        };
    }

    private static Compose Compose(ComposeState state, StepState init, StepState finalize, params ComposeImage[] images) => new()
    {
        Id = U,
        Name = "Fedora-Cloud",
        Version = "39",
        Release = "1",
        Distribution = "fedora-39",
        KojiTaskId = 12345,
        KojiServer = "https://koji.example.com/kojihub",
        Seed = 1,
        State = state,
        InitState = init,
        Reservation = init == StepState.Success ? new Reservation(42, Token) : null,
        FinalizeState = finalize,
        Images = images,
        CreatedAt = At,
        UpdatedAt = At,
    };

    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}, got {actual?.ToJsonString()}");

    [Fact] // TC-05
    public void ComposeStatus_ShowsTheFirstCloudTargetAsUploadStatus_AndNotTheKojiUpload()
    {
        var image = Image(0, ImageState.Success, type: "aws", uploadOptions: new JsonObject { ["region"] = "us-east-1" }) with
        {
            Uploads =
            [
                new UploadResult("koji", true, new JsonObject { ["build_id"] = 42 }),
                new UploadResult("aws", true, new JsonObject { ["ami"] = "ami-0123", ["region"] = "us-east-1" }),
            ],
            Progress = new ImageProgress(7, 7),
        };
        var compose = Compose(ComposeState.Success, StepState.Success, StepState.Success, image);

        Assert.Equal(
            """
            {
                "image_statuses": [
                    {
                        "status": "success",
                        "upload_status": {
                            "options": {
                                "ami": "ami-0123",
                                "region": "us-east-1"
                            },
                            "status": "success",
                            "type": "aws"
                        }
                    }
                ],
                "koji_build_id": 42,
                "koji_task_id": 12345,
                "status": "success"
            }
            """.ReplaceLineEndings("\n"),
            PythonJson.Serialize(TaskDocuments.ComposeStatus(compose)));
        Assert.Equal("x86_64-aws.log.json", TaskDocuments.ImageLogFile(image));
    }

    [Fact] // TC-07
    public void ComposeStatus_ShowsTheImagesError_AndKeepsTheRefundedBuildId()
    {
        var error = new JobError(JobErrorCodes.BuildJob, "osbuild build failed", new JsonObject { ["x"] = 1 });
        var compose = Compose(ComposeState.Failure, StepState.Success, StepState.Success, Image(0, ImageState.Failure) with { Error = error }) with
        {
            FinalizeError = new JobError(JobErrorCodes.KojiFailedDependency, "Koji import skipped: an image failed"),
        };

        AssertJson(
            """
            {"image_statuses":[{"error":{"details":{"x":1},"id":10,"reason":"osbuild build failed"},"status":"failure"}],
             "koji_build_id":42,"koji_task_id":12345,"status":"failure"}
            """,
            TaskDocuments.ComposeStatus(compose));
        Assert.Equal($"Compose failed (id: {U}): x86_64 guest-image: osbuild build failed", TaskDocuments.FailureMessage(compose));
    }

    [Fact] // TC-08
    public void ComposeStatus_HasNoBuildId_WhenTheComposeEndedBeforeAReservation()
    {
        var compose = Compose(ComposeState.Canceled, StepState.Canceled, StepState.Canceled, Image(0, ImageState.Canceled));

        Assert.Equal(
            """{"image_statuses":[{"status":"failure"}],"koji_task_id":12345,"status":"failure"}""",
            TaskDocuments.ComposeStatus(compose).ToJsonString());
    }

    [Theory] // TC-08: the exact shape, whether the store has recorded the images' dependency error yet or not
    [InlineData(false)]
    [InlineData(true)]
    public void ComposeStatus_IsOnlyTheFailureStatusPerImage_WhenTheReservationFailed(bool errorRecorded)
    {
        var initError = new JobError(JobErrorCodes.KojiInit, "CGInitBuild failed: Build already exists");
        var image = Image(0, ImageState.Failure, type: "aws", uploadOptions: new JsonObject { ["region"] = "us-east-1" }) with
        {
            Attempts = 0,
            Error = errorRecorded ? new JobError(JobErrorCodes.JobDependency, "build reservation failed", new JsonArray(initError.ToJson())) : null,
        };
        var compose = Compose(ComposeState.Failure, StepState.Failure, StepState.Success, image) with { InitError = initError };

        Assert.Equal(
            """{"image_statuses":[{"status":"failure"}],"koji_task_id":12345,"status":"failure"}""",
            TaskDocuments.ComposeStatus(compose).ToJsonString());
        Assert.Equal($"Compose failed (id: {U}): build reservation failed: CGInitBuild failed: Build already exists", TaskDocuments.FailureMessage(compose));
        Assert.Null(TaskDocuments.ImageLog(compose, compose.Images[0]));
    }

    [Fact] // §6.2, in progress
    public void ComposeStatus_IsPending_WithProgressAndARunningUpload_WhileImagesBuild()
    {
        var building = Image(0, ImageState.Building, type: "aws", uploadOptions: new JsonObject { ["region"] = "us-east-1" }) with
        {
            Progress = new ImageProgress(3, 7, "org.osbuild.rpm", 12, 40),
        };
        var compose = Compose(ComposeState.Running, StepState.Success, StepState.Pending, building, Image(1, ImageState.Pending, "aarch64", "aws")) with { KojiTaskId = null };

        AssertJson(
            """
            {"image_statuses":[
               {"progress":{"done":3,"subprogress":{"done":12,"total":40},"total":7},"status":"building",
                "upload_status":{"options":{},"status":"running","type":"aws"}},
               {"status":"pending"}],
             "koji_build_id":42,"koji_task_id":null,"status":"pending"}
            """,
            TaskDocuments.ComposeStatus(compose));
    }

    [Fact]
    public void ComposeStatus_LeavesOutEmptyErrorDetails_AndIsPendingUntilTheImportEnded()
    {
        var failed = Image(0, ImageState.Failure) with { Error = new JobError(JobErrorCodes.UploadingImage, "upload failed", new JsonObject()) };
        var compose = Compose(ComposeState.Finalizing, StepState.Success, StepState.Running, failed);

        AssertJson(
            """{"image_statuses":[{"error":{"id":11,"reason":"upload failed"},"status":"failure"}],"koji_build_id":42,"koji_task_id":12345,"status":"pending"}""",
            TaskDocuments.ComposeStatus(compose));
    }

    [Fact]
    public void InitLog_IsNull_UntilTheReservationRan_AndNeverHoldsTheToken()
    {
        var pending = Compose(ComposeState.Pending, StepState.Pending, StepState.Pending, Image(0, ImageState.Pending));
        var reserved = Compose(ComposeState.Running, StepState.Success, StepState.Pending, Image(0, ImageState.Pending));
        var failed = pending with { InitState = StepState.Failure, InitError = new JobError(JobErrorCodes.KojiInit, "CGInitBuild failed: denied") };

        Assert.Null(TaskDocuments.InitLog(pending));
        var log = TaskDocuments.InitLog(reserved);
        Assert.Equal("{\n    \"build_id\": 42,\n    \"koji_error\": \"\"\n}", PythonJson.Serialize(log));
        AssertJson("""{"build_id":0,"koji_error":"","job_error":{"id":15,"reason":"CGInitBuild failed: denied"}}""", TaskDocuments.InitLog(failed));
    }

    [Fact]
    public void ImportLog_IsTheStoredResultWithoutTokens_OrTheErrorAlone()
    {
        var running = Compose(ComposeState.Finalizing, StepState.Success, StepState.Running, Image(0, ImageState.Success));
        var imported = running with
        {
            State = ComposeState.Success,
            FinalizeState = StepState.Success,
            FinalizeResult = """{"koji_error":"","build_id":42,"request":{"token":"s3cr3t-reservation-token","dir":"osbuild-cg/x"}}""",
        };
        var failed = running with
        {
            State = ComposeState.Failure,
            FinalizeState = StepState.Failure,
            FinalizeError = new JobError(JobErrorCodes.KojiFinalize, "CGImport failed: unsupported file extension"),
        };

        Assert.Null(TaskDocuments.ImportLog(running));
        AssertJson("""{"koji_error":"","build_id":42,"request":{"dir":"osbuild-cg/x"}}""", TaskDocuments.ImportLog(imported));
        AssertJson("""{"koji_error":"","job_error":{"id":16,"reason":"CGImport failed: unsupported file extension"}}""", TaskDocuments.ImportLog(failed));
        Assert.Equal($"Compose failed (id: {U}): Koji import failed: CGImport failed: unsupported file extension", TaskDocuments.FailureMessage(failed));
    }

    [Fact]
    public void ImageLog_IsTheStoredBuildResult_AndNullForAnImageThatNeverRan()
    {
        var result = new ImageBuildResult
        {
            Success = true,
            Arch = "x86_64",
            HostOs = "fedora-42",
            OsbuildVersion = "191",
            PipelineNames = new PipelineNames(["build"], ["os", "image", "qcow2"]),
            OsbuildOutput = new JsonObject { ["success"] = true },
            UploadStatus = "success",
        };
        var built = Image(0, ImageState.Success) with { Result = result.ToJson() };
        var crashed = Image(1, ImageState.Failure, "aarch64") with { Error = new JobError(JobErrorCodes.JobMissingHeartbeat, "the worker stopped heart-beating") };
        var waiting = Image(2, ImageState.Pending, "s390x");
        var compose = Compose(ComposeState.Running, StepState.Success, StepState.Pending, built, crashed, waiting);

        AssertJson(
            """
            {"success":true,"arch":"x86_64","host_os":"fedora-42","osbuild_version":"191",
             "pipeline_names":{"build":["build"],"payload":["os","image","qcow2"]},"osbuild_output":{"success":true},
             "target_results":[],"upload_status":"success"}
            """,
            TaskDocuments.ImageLog(compose, built));
        AssertJson(
            """{"arch":"aarch64","job_error":{"id":27,"reason":"the worker stopped heart-beating"},"success":false,"upload_status":"failure"}""",
            TaskDocuments.ImageLog(compose, crashed));
        Assert.Null(TaskDocuments.ImageLog(compose, waiting));
    }

    [Fact]
    public void Manifest_IsTheStoredManifest_OrNull()
    {
        var image = Image(0, ImageState.Success) with { Manifest = """{"version":"2","pipelines":[]}""" };

        AssertJson("""{"version":"2","pipelines":[]}""", TaskDocuments.Manifest(image));
        Assert.Null(TaskDocuments.Manifest(Image(1, ImageState.Pending)));
        Assert.Equal("x86_64-guest-image.manifest.json", TaskDocuments.ManifestFile(image));
    }

    [Fact]
    public void FailureMessage_NamesTheFailedStage_AndTheFirstLinesOfItsOutput()
    {
        var details = new JsonObject
        {
            ["stage"] = "org.osbuild.rpm",
            ["id"] = "5f2a",
            ["pipeline"] = "os",
            ["output"] = "Installing packages\n\nerror: emacs-30 conflicts with file from package vim\r\nline three\nline four\n",
        };
        var failed = Image(0, ImageState.Failure) with { Error = new JobError(JobErrorCodes.BuildJob, "osbuild build failed", details) };
        var compose = Compose(ComposeState.Failure, StepState.Success, StepState.Success, failed);

        Assert.Equal(
            $"Compose failed (id: {U}): x86_64 guest-image: stage org.osbuild.rpm failed: Installing packages\nerror: emacs-30 conflicts with file from package vim\nline three\n[...]",
            TaskDocuments.FailureMessage(compose));
    }

    [Fact]
    public void FailureMessage_BoundsLongOutputLines_AndCountsTheOtherFailedImages()
    {
        var details = new JsonObject { ["stage"] = "org.osbuild.selinux", ["id"] = "1", ["output"] = new string('x', 5000) };
        var compose = Compose(ComposeState.Failure, StepState.Success, StepState.Success,
            Image(0, ImageState.Success),
            Image(1, ImageState.Failure, "aarch64") with { Error = new JobError(JobErrorCodes.BuildJob, "osbuild build failed", details) },
            Image(2, ImageState.Failure, "s390x") with { Error = new JobError(JobErrorCodes.UploadingImage, "upload failed") });

        var message = TaskDocuments.FailureMessage(compose);

        Assert.StartsWith($"Compose failed (id: {U}): aarch64 guest-image: stage org.osbuild.selinux failed: xxx", message, StringComparison.Ordinal);
        Assert.EndsWith("x[...] (and 1 more image failed)", message, StringComparison.Ordinal);
        Assert.True(message.Length < 500, message);

        var three = compose with { Images = [.. compose.Images, Image(3, ImageState.Failure, "ppc64le") with { Error = JobError.Canceled() }] };
        Assert.EndsWith("(and 2 more images failed)", TaskDocuments.FailureMessage(three), StringComparison.Ordinal);
    }

    [Fact]
    public void FailureMessage_IsUpstreamsText_WhenNothingSaysWhatFailed()
    {
        var compose = Compose(ComposeState.Failure, StepState.Success, StepState.Success, Image(0, ImageState.Success));

        Assert.Equal($"Compose failed (id: {U})", TaskDocuments.FailureMessage(compose));
    }
}
