using System.Text.Json.Nodes;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Tests.Web;

/// <summary>Compose records in the states the status derivation tests need (no store involved), and the
/// shared request and error samples.</summary>
internal static class SampleComposes
{
    public static readonly DateTimeOffset Created = new(2026, 11, 26, 0, 30, 0, TimeSpan.Zero);

    public const string Token = "s3cr3t-reservation-token";

    public static JsonObject ImageRequest(string arch = "x86_64", string type = "guest-image", JsonObject? uploadOptions = null)
    {
        var request = new JsonObject
        {
            ["architecture"] = arch,
            ["image_type"] = type,
            ["repositories"] = new JsonArray(new JsonObject { ["baseurl"] = $"https://repo.example.test/{arch}", ["rhsm"] = false }),
        };
        if (uploadOptions is not null)
        {
            request["upload_options"] = uploadOptions;
        }

        return request;
    }

    public static ComposeImage Image(int index, ImageState state, string arch = "x86_64", string type = "guest-image") => new()
    {
        Index = index,
        Arch = arch,
        ImageType = type,
        ImageRequest = ImageRequest(arch, type),
        State = state,
    };

    /// <summary>A compose whose reservation succeeded (build 42) with <paramref name="images"/>.</summary>
    public static Compose Reserved(ComposeState state, StepState finalize, params ComposeImage[] images) => new()
    {
        Id = Guid.NewGuid(),
        Name = "Fedora-Cloud",
        Version = "42",
        Release = "20261126.0",
        Distribution = "fedora-42",
        KojiTaskId = 123456,
        KojiServer = "https://koji.example.test/kojihub",
        Seed = 7,
        SubmittedBy = "releng",
        State = state,
        InitState = StepState.Success,
        Reservation = new Reservation(42, Token),
        FinalizeState = finalize,
        Images = images,
        CreatedAt = Created,
        UpdatedAt = Created.AddMinutes(5),
        FinishedAt = state.IsFinal() ? Created.AddMinutes(20) : null,
    };

    /// <summary>A compose building two images: x86_64 at 3/7 (stage and sub-progress), aarch64 waiting.</summary>
    public static Compose Running() => Reserved(ComposeState.Running, StepState.Pending,
        Image(0, ImageState.Building) with
        {
            Progress = new ImageProgress(3, 7, "org.osbuild.rpm", 12, 40),
            Attempts = 1,
            Worker = "builder1:4242:ab12",
            StartedAt = Created.AddMinutes(1),
        },
        Image(1, ImageState.Pending, "aarch64"));

    public static readonly JobError BuildError = new(JobErrorCodes.BuildJob, "osbuild build failed", new JsonArray("stage org.osbuild.rpm failed: exit 1"));

    /// <summary>A finished failed compose: image 0 built, image 1 failed with error 10; import skipped (13).</summary>
    public static Compose Failed() => Reserved(ComposeState.Failure, StepState.Success,
        Image(0, ImageState.Success) with
        {
            Attempts = 1,
            Worker = "builder1:4242:ab12",
            Uploads = [new UploadResult("koji", true, new JsonObject { ["filename"] = "disk.qcow2" })],
            Manifest = """{"version": "2", "pipelines": [{"name": "build-0"}]}""",
            Result = """{"success": true, "arch": "x86_64"}""",
        },
        Image(1, ImageState.Failure, "aarch64") with
        {
            Attempts = 2,
            LostWorkers = 1,
            Worker = "builder2:77:cd34",
            Error = BuildError,
            Manifest = """{"version": "2", "pipelines": [{"name": "build-1"}]}""",
            Result = """{"success": false, "arch": "aarch64", "token": "leak"}""",
        }) with
    {
        FinalizeError = new JobError(JobErrorCodes.KojiFailedDependency, "Koji build failed", new JsonArray(BuildError.ToJson())),
        FinalizeResult = """{"koji_error": ""}""",
    };
}
