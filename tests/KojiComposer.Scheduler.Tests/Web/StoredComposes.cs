using System.Text.Json.Nodes;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Store;
using KojiComposer.Testing.Time;

namespace KojiComposer.Scheduler.Tests.Web;

/// <summary>
/// Brings composes in the real store into the states the web tests show, the way the engine does: create,
/// claim, renew, complete. Times come from the test's manual clock.
/// </summary>
internal sealed class StoredComposes(IComposeStore store, ManualTimeProvider time)
{
    public const string Worker0 = "builder1:4242:ab12";
    public const string Worker1 = "builder2:77:cd34";
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private DateTimeOffset Now => time.GetUtcNow();

    public static NewCompose New(string name = "Fedora-Cloud", long taskId = 123456) => new()
    {
        Name = name,
        Version = "42",
        Release = "20261126.0",
        Distribution = "fedora-42",
        KojiTaskId = taskId,
        KojiServer = "https://koji.example.test/kojihub",
        Seed = 7,
        SubmittedBy = "releng",
        Images =
        [
            new NewComposeImage("x86_64", "guest-image", SampleComposes.ImageRequest("x86_64")),
            new NewComposeImage("aarch64", "guest-image", SampleComposes.ImageRequest("aarch64")),
        ],
    };

    /// <summary>Submitted at <paramref name="createdAt"/> (default: now), nothing run yet.</summary>
    public async Task<Compose> PendingAsync(NewCompose? compose = null, DateTimeOffset? createdAt = null) =>
        (await store.CreateAsync(compose ?? New(), createdAt ?? Now, default)).Compose;

    /// <summary>Reserved as build 42; image 0 building at 3/7 (stage and sub-progress) on <see cref="Worker0"/>,
    /// image 1 (aarch64) waiting.</summary>
    public async Task<Compose> RunningAsync(NewCompose? compose = null, DateTimeOffset? createdAt = null)
    {
        var created = await PendingAsync(compose, createdAt);
        await ReserveAsync(created.Id);
        await ClaimAsync(StepRef.Image(created.Id, 0), Worker0);
        await ProgressAsync(created.Id, new ImageProgress(3, 7, "org.osbuild.rpm", 12, 40));
        return (await store.GetAsync(created.Id, default))!;
    }

    /// <summary>Moves image 0's progress.</summary>
    public async Task ProgressAsync(Guid composeId, ImageProgress progress)
    {
        var renewal = await store.RenewAsync(StepRef.Image(composeId, 0), Worker0, Now, Lease, ImageState.Building, progress, default);
        Assert.True(renewal.Held);
    }

    /// <summary>Image 0 built and uploaded to Koji; image 1 lost its first worker and failed with error 10 on the
    /// second; the import was skipped (13). Image 1 finishes first, so store order is not completion order.</summary>
    public async Task<Compose> FailedAsync(NewCompose? compose = null, DateTimeOffset? createdAt = null)
    {
        var created = await PendingAsync(compose, createdAt);
        var id = created.Id;
        await ReserveAsync(id);
        await ClaimAsync(StepRef.Image(id, 0), Worker0);
        await ClaimAsync(StepRef.Image(id, 1), "builder9:1:dead");
        time.Advance(Lease + TimeSpan.FromSeconds(1));
        await ClaimAsync(StepRef.Image(id, 1), Worker1);
        var failed = await store.CompleteImageAsync(StepRef.Image(id, 1), Worker1, ImageState.Failure, SampleComposes.BuildError,
            ImageBuildOutcome.Failed(SampleComposes.BuildError, manifest: """{"version": "2", "pipelines": [{"name": "build-1"}]}""",
                result: """{"success": false, "arch": "aarch64", "token": "leak"}"""), Now, default);
        Assert.True(failed.Accepted);
        var built = await store.CompleteImageAsync(StepRef.Image(id, 0), Worker0, ImageState.Success, null,
            ImageBuildOutcome.Succeeded([new UploadResult("koji", true, new JsonObject { ["filename"] = "disk.qcow2" })],
                manifest: """{"version": "2", "pipelines": [{"name": "build-0"}]}""", result: """{"success": true, "arch": "x86_64"}"""), Now, default);
        Assert.True(built.FinalizeClaimed);
        var finalize = await store.ClaimAsync(StepRef.Finalize(id), "scheduler:1", Now, Lease, 2, default);
        Assert.True(finalize.HoldsLease);
        var skipped = new JobError(JobErrorCodes.KojiFailedDependency, "Koji build failed", new JsonArray(SampleComposes.BuildError.ToJson()));
        Assert.True(await store.CompleteFinalizeAsync(id, "scheduler:1", ComposeState.Failure, skipped, """{"koji_error": ""}""", Now, default));
        return (await store.GetAsync(id, default))!;
    }

    /// <summary>Two guest images for the S3 target: image 0 built, in Koji and in S3 (a signed URL); image 1 building.</summary>
    public async Task<Compose> CloudAsync()
    {
        var options = new JsonObject { ["region"] = "eu-west-1" };
        var created = await PendingAsync(New() with
        {
            Images =
            [
                new NewComposeImage("x86_64", "guest-image", SampleComposes.ImageRequest("x86_64", uploadOptions: options)),
                new NewComposeImage("aarch64", "guest-image", SampleComposes.ImageRequest("aarch64", uploadOptions: options.DeepClone().AsObject())),
            ],
        });
        var id = created.Id;
        await ReserveAsync(id);
        await ClaimAsync(StepRef.Image(id, 0), Worker0);
        await ClaimAsync(StepRef.Image(id, 1), Worker1);
        var built = await store.CompleteImageAsync(StepRef.Image(id, 0), Worker0, ImageState.Success, null,
            ImageBuildOutcome.Succeeded(
                [
                    new UploadResult("koji", true, new JsonObject { ["filename"] = "disk.qcow2" }),
                    new UploadResult("aws.s3", true, new JsonObject { ["url"] = SignedUrl }),
                ],
                manifest: """{"version": "2"}""", result: """{"success": true, "arch": "x86_64"}"""), Now, default);
        Assert.True(built.Accepted);
        return (await store.GetAsync(id, default))!;
    }

    /// <summary>The S3 result URL of <see cref="CloudAsync"/>; its signature must never show on a page.</summary>
    public const string SignedUrl = "https://images.s3.eu-west-1.amazonaws.com/composer-api-1-disk.qcow2?X-Amz-Expires=604800&X-Amz-Signature=5ec7e7516a7a7e";

    private async Task ReserveAsync(Guid composeId)
    {
        Assert.True((await store.ClaimAsync(StepRef.Init(composeId), "scheduler:1", Now, Lease, 2, default)).HoldsLease);
        var init = await store.CompleteInitAsync(composeId, "scheduler:1", new Reservation(42, SampleComposes.Token), null, false, Now, default);
        Assert.True(init.Accepted);
    }

    private async Task ClaimAsync(StepRef step, string owner) =>
        Assert.True((await store.ClaimAsync(step, owner, Now, Lease, 2, default)).HoldsLease);
}
