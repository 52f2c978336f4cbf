using System.Text.Json.Nodes;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Web.Api;
using static KojiComposer.Scheduler.Tests.Web.SampleComposes;

namespace KojiComposer.Scheduler.Tests.Web;

/// <summary>composer-api.md §4, row by row: what the koji-osbuild plugin reads from <c>GET /composes/{id}</c>.</summary>
public sealed class StatusDerivationTests
{
    private static JsonObject Status(Compose compose) => ComposeStatusJson.Build(compose);

    private static string ImageStatus(Compose compose, int index) => Status(compose)["image_statuses"]![index]!["status"]!.GetValue<string>();

    [Fact]
    public void Status_StaysPending_WhenAnImageFailedButFinalizeHasNotFinished()
    {
        var compose = Failed() with { State = ComposeState.Finalizing, FinalizeState = StepState.Running, FinishedAt = null };

        Assert.Equal("pending", Status(compose)["status"]!.GetValue<string>());
        Assert.Equal("failure", ImageStatus(compose, 1));
    }

    [Fact]
    public void Status_IsFailure_WhenFinalizeWasCanceled()
    {
        var compose = Reserved(ComposeState.Canceled, StepState.Canceled, Image(0, ImageState.Success));

        Assert.Equal("failure", Status(compose)["status"]!.GetValue<string>());
    }

    [Fact]
    public void Status_IsSuccess_WhenImportAndEveryImageSucceeded()
    {
        var compose = Reserved(ComposeState.Success, StepState.Success, Image(0, ImageState.Success), Image(1, ImageState.Success, "aarch64"));

        Assert.Equal("success", Status(compose)["status"]!.GetValue<string>());
    }

    [Fact]
    public void Status_IsFailure_WhenFinishedWithAFailedImage()
    {
        Assert.Equal("failure", Status(Failed())["status"]!.GetValue<string>());
    }

    [Fact]
    public void Status_IsFailure_WhenTheImportFailed()
    {
        var compose = Reserved(ComposeState.Failure, StepState.Failure, Image(0, ImageState.Success)) with
        {
            FinalizeError = new JobError(JobErrorCodes.KojiFinalize, "CGImport failed"),
        };

        Assert.Equal("failure", Status(compose)["status"]!.GetValue<string>());
    }

    [Fact]
    public void Status_IsFailure_AndImagesFailWithTheReservationErrorAsDetails_WhenTheReservationFailed()
    {
        var initError = new JobError(JobErrorCodes.KojiInit, "CGInitBuild failed", JsonValue.Create("GenericError: build already exists"));
        var dependency = new JobError(JobErrorCodes.JobDependency, "Job dependency failed", new JsonArray("stored details"));
        var compose = Reserved(ComposeState.Failure, StepState.Success, Image(0, ImageState.Failure) with { Error = dependency }, Image(1, ImageState.Pending)) with
        {
            InitState = StepState.Failure,
            InitError = initError,
            Reservation = null,
        };

        var status = Status(compose);

        Assert.Equal("failure", status["status"]!.GetValue<string>());
        Assert.Equal("failure", ImageStatus(compose, 0));
        Assert.Equal("failure", ImageStatus(compose, 1));
        var error = status["image_statuses"]![0]!["error"]!.AsObject();
        Assert.Equal(26, error["id"]!.GetValue<int>());
        Assert.Equal(initError.ToJson().ToJsonString(), error["details"]![0]!.ToJsonString());
        Assert.Equal(26, status["image_statuses"]![1]!["error"]!["id"]!.GetValue<int>());
        Assert.Equal("{}", status["koji_status"]!.ToJsonString());
    }

    [Theory]
    [InlineData(ImageState.Pending, "pending")]
    [InlineData(ImageState.Building, "building")]
    [InlineData(ImageState.Uploading, "building")]
    [InlineData(ImageState.Success, "success")]
    [InlineData(ImageState.Failure, "failure")]
    [InlineData(ImageState.Canceled, "failure")]
    public void ImageStatus_FollowsTheImageState_WithUploadingShownAsBuilding(ImageState state, string expected)
    {
        var image = Image(0, state) with { Error = state is ImageState.Failure or ImageState.Canceled ? BuildError : null };
        var compose = Reserved(ComposeState.Running, StepState.Pending, image);

        Assert.Equal(expected, ImageStatus(compose, 0));
    }

    [Fact]
    public void ImageError_HasOnlyIdReasonAndDetails()
    {
        var error = Status(Failed())["image_statuses"]![1]!["error"]!.AsObject();

        Assert.Equal(["details", "id", "reason"], error.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(10, error["id"]!.GetValue<int>());
        Assert.Equal("osbuild build failed", error["reason"]!.GetValue<string>());
    }

    [Fact]
    public void ImageStatus_IsACopyOfTheFirstImage()
    {
        var status = Status(Running());

        Assert.Equal(status["image_statuses"]![0]!.ToJsonString(), status["image_status"]!.ToJsonString());
    }

    [Fact]
    public void Progress_ShowsDoneTotalAndSubprogress_WhileBuilding()
    {
        var progress = Status(Running())["image_statuses"]![0]!["progress"]!;

        Assert.Equal("""{"done":3,"total":7,"subprogress":{"done":12,"total":40}}""", progress.ToJsonString());
    }

    [Fact]
    public void UploadStatuses_ListOnlyNonKojiTargets_AndAreAbsentForKojiOnly()
    {
        var cloud = Image(0, ImageState.Success, type: "aws") with
        {
            Uploads = [new UploadResult("koji", true, new JsonObject()), new UploadResult("aws", true, new JsonObject { ["ami"] = "ami-0123", ["region"] = "us-east-1" })],
        };
        var kojiOnly = Image(1, ImageState.Success) with { Uploads = [new UploadResult("koji", true, new JsonObject())] };
        var status = Status(Reserved(ComposeState.Success, StepState.Success, cloud, kojiOnly));

        var first = status["image_statuses"]![0]!;
        Assert.Equal("""[{"status":"success","type":"aws","options":{"ami":"ami-0123","region":"us-east-1"}}]""", first["upload_statuses"]!.ToJsonString());
        Assert.Equal(first["upload_statuses"]![0]!.ToJsonString(), first["upload_status"]!.ToJsonString());
        Assert.Null(status["image_statuses"]![1]!["upload_status"]);
        Assert.Null(status["image_statuses"]![1]!["upload_statuses"]);
    }

    [Theory]
    [InlineData(ImageState.Pending, "pending")]
    [InlineData(ImageState.Building, "running")]
    [InlineData(ImageState.Uploading, "running")]
    public void UploadStatus_OfTheRequestedCloudTarget_IsPendingBeforeStartAndRunningWhileRunning(ImageState state, string expected)
    {
        var image = Image(0, state, type: "aws") with { ImageRequest = ImageRequest(type: "aws", uploadOptions: new JsonObject { ["region"] = "us-east-1" }) };

        var upload = Status(Reserved(ComposeState.Running, StepState.Pending, image))["image_statuses"]![0]!["upload_status"]!;

        Assert.Equal(expected, upload["status"]!.GetValue<string>());
        Assert.Equal("aws", upload["type"]!.GetValue<string>());
    }

    [Fact]
    public void UploadStatus_IsFailure_WhenTheTargetFailed()
    {
        var image = Image(0, ImageState.Failure, type: "gcp") with
        {
            Error = new JobError(JobErrorCodes.TargetError, "at least one target failed"),
            Uploads = [new UploadResult("gcp", false, new JsonObject())],
        };

        var upload = Status(Reserved(ComposeState.Failure, StepState.Success, image))["image_statuses"]![0]!["upload_status"]!;

        Assert.Equal("failure", upload["status"]!.GetValue<string>());
    }

    [Fact]
    public void KojiStatus_HasTheBuildId_OnceReserved()
    {
        Assert.Equal("""{"build_id":42}""", Status(Running())["koji_status"]!.ToJsonString());
        Assert.Equal("{}", Status(Running() with { Reservation = null, InitState = StepState.Running, State = ComposeState.Pending })["koji_status"]!.ToJsonString());
        Assert.Equal("{}", Status(Running() with { Reservation = new Reservation(0, Token) })["koji_status"]!.ToJsonString());
    }

    [Fact]
    public void Extension_CarriesNvrTaskAndPerImageDetails_UnderItsOwnKeyOnly_AndNeverTheToken()
    {
        var status = Status(Running());
        var extension = status["kojicomposer"]!;

        Assert.Equal("Fedora-Cloud-42-20261126.0", extension["nvr"]!.GetValue<string>());
        Assert.Equal(123456, extension["koji_task_id"]!.GetValue<long>());
        Assert.Equal("builder1:4242:ab12", extension["images"]![0]!["worker"]!.GetValue<string>());
        Assert.Equal(1, extension["images"]![0]!["attempts"]!.GetValue<int>());
        Assert.Equal("aarch64", extension["images"]![1]!["arch"]!.GetValue<string>());
        Assert.Equal("org.osbuild.rpm", extension["images"]![0]!["progress"]!["stage"]!.GetValue<string>());
        Assert.Equal(["href", "id", "image_status", "image_statuses", "kind", "koji_status", "kojicomposer", "status"], status.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(Token, status.ToJsonString(), StringComparison.Ordinal);
    }
}
