using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.Scheduler.Hosting;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Store;
using KojiComposer.Scheduler.TestHost;

namespace KojiComposer.Scheduler.Tests.Engine;

/// <summary>
/// The engine end to end on a real store and real Hangfire servers: fan-out to per-arch queues, fan-in to exactly
/// one finalize, failures, cancel, retries, dead workers and shutdown. Run once per store (subclasses).
/// </summary>
public abstract class ComposeEngineTests : IDisposable
{
    protected ComposeEngineTests(EngineBackend backend)
    {
        Backend = backend;
    }

    protected EngineBackend Backend { get; }

    public void Dispose()
    {
        Backend.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Compose_BuildsEachImageOnAWorkerOfItsArch_AndImportsOnce()
    {
        var store = await Backend.OpenStoreAsync();
        var storage = Backend.OpenJobStorage();
        await using var scheduler = await TestEngineHost.StartAsync(store, storage, new RoleSettings { ServerName = "sched" });
        await using var x86 = await TestEngineHost.StartAsync(store, storage, new RoleSettings { Scheduler = false, BuildArches = ["x86_64"], ServerName = "x86" }, koji: scheduler.Koji);
        await using var arm = await TestEngineHost.StartAsync(store, storage, new RoleSettings { Scheduler = false, BuildArches = ["aarch64"], ServerName = "arm" }, koji: scheduler.Koji);

        var compose = await scheduler.SubmitAsync(Composes.Koji());
        var done = await scheduler.WaitForFinalAsync(compose.Id);

        Assert.Equal(ComposeState.Success, done.State);
        Assert.All(done.Images, i => Assert.Equal(ImageState.Success, i.State));
        Assert.All(done.Images.Where(i => i.Arch == "x86_64"), i => Assert.Equal(1, x86.Build.RunsOf(compose.Id, i.Index)));
        Assert.All(done.Images.Where(i => i.Arch == "aarch64"), i => Assert.Equal(1, arm.Build.RunsOf(compose.Id, i.Index)));
        Assert.Empty(scheduler.Build.Runs);
        Assert.Equal([compose.Id], scheduler.Koji.Reserves);
        Assert.Equal([(compose.Id, done.Reservation!.BuildId)], scheduler.Koji.Imports);
        Assert.Empty(scheduler.Koji.Refunds);
        Assert.Equal(StepState.Success, done.FinalizeState);
        Assert.NotNull(done.FinishedAt);
        Assert.All(done.Images, i => Assert.Equal("koji", Assert.Single(i.Uploads).Type));
    }

    [Fact]
    public async Task FiftyConcurrentComposes_EachFinalizedExactlyOnce_NoImageBuiltTwice()
    {
        var store = await Backend.OpenStoreAsync();
        // Leases long enough that a starved renewal (CI runs the test projects side by side on 2 cores) cannot
        // expire one: an expired lease legitimately rebuilds an image (tested on its own), which is not this test's
        // subject.
        await using var host = await TestEngineHost.StartAsync(store, Backend.OpenJobStorage(),
            new RoleSettings { BuildArches = ["x86_64", "aarch64"], BuildWorkers = 8, SchedulerWorkers = 4, ServerName = "all" },
            TestEngineHost.FastSettings with { LeaseDuration = TimeSpan.FromSeconds(30), InvisibilityTimeout = TimeSpan.FromSeconds(60) });
        host.Build.Behavior = async (_, reporter, ct) =>
        {
            reporter.Report(ImageBuildPhase.Building, new ImageProgress(1, 2, "pipeline: os"));
            await Task.Delay(Random.Shared.Next(0, 30), ct);
            return ImageBuildOutcome.Succeeded();
        };

        var submitted = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => host.SubmitAsync(Composes.Koji())));
        var finished = await Task.WhenAll(submitted.Select(c => host.WaitForFinalAsync(c.Id)));

        Assert.All(finished, c => Assert.Equal(ComposeState.Success, c.State));
        Assert.Equal(50, host.Koji.Imports.Count);
        Assert.Equal(50, host.Koji.Imports.Select(i => i.Compose).Distinct().Count());
        Assert.Equal(200, host.Build.Runs.Count);
        Assert.Equal(200, host.Build.Runs.Select(r => (r.Compose, r.Image)).Distinct().Count());
        Assert.Equal(1, host.Build.MaxConcurrentSameImage);
    }

    [Fact]
    public async Task OneImageFails_OthersSucceed_ComposeFailsWithItsError_AndReservationIsRefunded()
    {
        var store = await Backend.OpenStoreAsync();
        await using var host = await TestEngineHost.StartAsync(store, Backend.OpenJobStorage());
        host.Build.Behavior = (request, _, _) => Task.FromResult(request.Arch == "aarch64" && request.ImageType == "aws"
            ? ImageBuildOutcome.Failed(new JobError(JobErrorCodes.BuildJob, "osbuild build failed", "stage org.osbuild.rpm failed"))
            : ImageBuildOutcome.Succeeded());

        var compose = await host.SubmitAsync(Composes.Koji());
        var done = await host.WaitForFinalAsync(compose.Id);

        Assert.Equal(ComposeState.Failure, done.State);
        var failed = Assert.Single(done.Images, i => i.State == ImageState.Failure);
        Assert.Equal(("aarch64", "aws", JobErrorCodes.BuildJob), (failed.Arch, failed.ImageType, failed.Error!.Id));
        Assert.Equal(3, done.Images.Count(i => i.State == ImageState.Success));
        Assert.Equal(JobErrorCodes.KojiFailedDependency, done.FinalizeError!.Id);
        Assert.Contains("osbuild build failed", done.FinalizeError.Details!.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(host.Koji.Imports);
        Assert.Equal([(compose.Id, done.Reservation!.BuildId, false)], host.Koji.Refunds);
    }

    [Fact]
    public async Task ReservationFails_EveryImageFailsWithDependencyError_NothingBuiltOrRefunded()
    {
        var store = await Backend.OpenStoreAsync();
        await using var host = await TestEngineHost.StartAsync(store, Backend.OpenJobStorage());
        host.Koji.BeforeReserve = (_, _) => throw new ComposeStepException(new JobError(JobErrorCodes.KojiInit, "CGInitBuild: Build already exists"));

        var compose = await host.SubmitAsync(Composes.Koji());
        var done = await host.WaitForFinalAsync(compose.Id);

        Assert.Equal(ComposeState.Failure, done.State);
        Assert.Equal(StepState.Failure, done.InitState);
        Assert.Equal(JobErrorCodes.KojiInit, done.InitError!.Id);
        Assert.All(done.Images, i => Assert.Equal((ImageState.Failure, JobErrorCodes.JobDependency), (i.State, i.Error!.Id)));
        Assert.Empty(host.Build.Runs);
        Assert.Empty(host.Koji.Refunds);
        Assert.Empty(host.Koji.Imports);
    }

    [Fact]
    public async Task Cancel_EndsCanceled_WhenTheHubRefusesTheRefundForGood()
    {
        var store = await Backend.OpenStoreAsync();
        await using var host = await TestEngineHost.StartAsync(store, Backend.OpenJobStorage());
        host.Build.Behavior = async (_, _, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return ImageBuildOutcome.Succeeded();
        };
        // e.g. "Token doesn't match build ID N": refund errors are logged, never the compose's outcome (cg-import.md §5).
        host.Koji.AfterRefund = _ => throw new ComposeStepException(new JobError(JobErrorCodes.KojiFinalize, "Token doesn't match build ID 1000"));

        var compose = await host.SubmitAsync(Composes.Koji());
        await host.WaitForAsync(compose.Id, c => c.Images.All(i => i.State == ImageState.Building), "every image building");
        await host.Operations.CancelAsync(compose.Id, CancellationToken.None);
        var done = await host.WaitForFinalAsync(compose.Id);

        Assert.Equal(ComposeState.Canceled, done.State);
        Assert.Equal([(compose.Id, done.Reservation!.BuildId, true)], host.Koji.Refunds);
    }

    [Fact]
    public async Task Cancel_StopsRunningBuilds_AndRefundsTheReservationAsCanceled()
    {
        var store = await Backend.OpenStoreAsync();
        await using var host = await TestEngineHost.StartAsync(store, Backend.OpenJobStorage());
        host.Build.Behavior = async (_, reporter, ct) =>
        {
            reporter.Report(ImageBuildPhase.Building, new ImageProgress(2, 5, "org.osbuild.rpm"));
            await Task.Delay(Timeout.Infinite, ct);
            return ImageBuildOutcome.Succeeded();
        };

        var compose = await host.SubmitAsync(Composes.Koji());
        await host.WaitForAsync(compose.Id, c => c.Images.All(i => i.State == ImageState.Building), "every image building");
        Assert.Equal(CancelOutcome.Requested, await host.Operations.CancelAsync(compose.Id, CancellationToken.None));
        var done = await host.WaitForFinalAsync(compose.Id);

        Assert.Equal(ComposeState.Canceled, done.State);
        Assert.All(done.Images, i => Assert.Equal(ImageState.Canceled, i.State));
        Assert.Equal(4, host.Build.Canceled.Count);
        Assert.Equal([(compose.Id, done.Reservation!.BuildId, true)], host.Koji.Refunds);
        Assert.Empty(host.Koji.Imports);
    }

    [Fact]
    public async Task CancelWhileTheImportRuns_DoesNotCutTheImportOff()
    {
        var store = await Backend.OpenStoreAsync();
        await using var host = await TestEngineHost.StartAsync(store, Backend.OpenJobStorage());
        var importing = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        host.Koji.BeforeImport = async (_, ct) =>
        {
            importing.TrySetResult();
            await release.Task.WaitAsync(ct);
        };
        var compose = await host.SubmitAsync(Composes.Koji(["x86_64"], ["guest-image"]));
        await importing.Task.WaitAsync(Eventually.Limit);

        Assert.Equal(CancelOutcome.Requested, await host.Operations.CancelAsync(compose.Id, CancellationToken.None));
        // Several lease renewals (300 ms each) see the cancel request while the import is still running.
        await Task.Delay(TestEngineHost.FastSettings.LeaseRenewInterval * 4);
        release.SetResult();
        var done = await host.WaitForFinalAsync(compose.Id);

        Assert.Equal(ComposeState.Success, done.State);
        Assert.Equal([(compose.Id, done.Reservation!.BuildId)], host.Koji.Imports);
        Assert.Empty(host.Koji.Refunds);
    }

    [Fact]
    public async Task TransientError_IsRetried_UntilTheBuildSucceeds()
    {
        var store = await Backend.OpenStoreAsync();
        await using var host = await TestEngineHost.StartAsync(store, Backend.OpenJobStorage());
        var failures = 0;
        host.Build.Behavior = (_, _, _) => Interlocked.Increment(ref failures) <= 2
            ? throw new ComposeStepException(new JobError(JobErrorCodes.UploadingImage, "hub unreachable"), isTransient: true)
            : Task.FromResult(ImageBuildOutcome.Succeeded());

        var compose = await host.SubmitAsync(Composes.Koji(["x86_64"], ["guest-image"]));
        var done = await host.WaitForFinalAsync(compose.Id);

        Assert.Equal(ComposeState.Success, done.State);
        Assert.Equal(3, host.Build.RunsOf(compose.Id, 0));
        Assert.Equal(0, done.Images[0].LostWorkers);
    }

    [Fact]
    public async Task PermanentError_FailsTheImageAtOnce_WithItsCode()
    {
        var store = await Backend.OpenStoreAsync();
        await using var host = await TestEngineHost.StartAsync(store, Backend.OpenJobStorage());
        host.Build.Behavior = (_, _, _) => throw new ComposeStepException(new JobError(JobErrorCodes.ManifestGeneration, "unknown image type"));

        var compose = await host.SubmitAsync(Composes.Koji(["x86_64"], ["guest-image"]));
        var done = await host.WaitForFinalAsync(compose.Id);

        Assert.Equal(ComposeState.Failure, done.State);
        Assert.Equal((JobErrorCodes.ManifestGeneration, "unknown image type"), (done.Images[0].Error!.Id, done.Images[0].Error!.Reason));
        Assert.Equal(1, host.Build.RunsOf(compose.Id, 0));
    }

    [Fact]
    public async Task CrashingBuildStep_FailsTheImageAsJobPanicked_AndTheComposeStillEnds()
    {
        var store = await Backend.OpenStoreAsync();
        await using var host = await TestEngineHost.StartAsync(store, Backend.OpenJobStorage());
        host.Build.Behavior = (_, _, _) => throw new InvalidOperationException("bug: index out of range");

        var compose = await host.SubmitAsync(Composes.Koji(["x86_64"], ["guest-image"]));
        var done = await host.WaitForFinalAsync(compose.Id);

        Assert.Equal(ComposeState.Failure, done.State);
        Assert.Equal(JobErrorCodes.JobPanicked, done.Images[0].Error!.Id);
        Assert.Equal(1, host.Build.RunsOf(compose.Id, 0));
        Assert.Single(host.Koji.Refunds);
    }

    [Fact]
    public async Task BuildLongerThanLeaseAndInvisibilityTimeout_IsNeverStartedTwice()
    {
        var store = await Backend.OpenStoreAsync();
        var storage = Backend.OpenJobStorage();
        // Two builder processes for the same arch: a redelivery would reach the idle one.
        await using var first = await TestEngineHost.StartAsync(store, storage, new RoleSettings { BuildArches = ["x86_64"], ServerName = "one" });
        await using var second = await TestEngineHost.StartAsync(store, storage, new RoleSettings { Scheduler = false, BuildArches = ["x86_64"], ServerName = "two" }, build: first.Build);
        first.Build.Behavior = async (_, reporter, ct) =>
        {
            // 8 s: more than twice the lease (3 s) and four times Hangfire's invisibility timeout (2 s).
            for (var i = 0; i < 8; i++)
            {
                reporter.Report(ImageBuildPhase.Building, new ImageProgress(i, 8, "org.osbuild.rpm"));
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }

            return ImageBuildOutcome.Succeeded();
        };

        var compose = await first.SubmitAsync(Composes.Koji(["x86_64"], ["guest-image"]));
        var done = await first.WaitForFinalAsync(compose.Id);

        Assert.Equal(ComposeState.Success, done.State);
        Assert.Equal(1, first.Build.RunsOf(compose.Id, 0));
        Assert.Equal(0, done.Images[0].LostWorkers);
        Assert.Equal(1, done.Images[0].Attempts);
    }

    [Fact]
    public async Task ImageWhoseWorkerDied_IsBuiltByAnotherWorker_AndCountedAsLost()
    {
        var store = await Backend.OpenStoreAsync();
        var storage = Backend.OpenJobStorage();
        await using var scheduler = await TestEngineHost.StartAsync(store, storage, new RoleSettings { ServerName = "sched" });
        var compose = await scheduler.SubmitAsync(Composes.Koji(["ppc64le"], ["guest-image"]));
        await scheduler.WaitForAsync(compose.Id, c => c.State == ComposeState.Running, "the reservation");

        // A worker that claimed the image and died: its lease is never renewed.
        var image = StepRef.Image(compose.Id, 0);
        var ghost = await store.ClaimAsync(image, "ghost:1:dead", DateTimeOffset.UtcNow, TimeSpan.FromSeconds(1), 2, CancellationToken.None);
        Assert.Equal(ClaimOutcome.Claimed, ghost.Outcome);
        await using var builder = await TestEngineHost.StartAsync(store, storage, new RoleSettings { Scheduler = false, BuildArches = ["ppc64le"], ServerName = "ppc" }, koji: scheduler.Koji);
        var done = await scheduler.WaitForFinalAsync(compose.Id);

        Assert.Equal(ComposeState.Success, done.State);
        Assert.Equal(1, done.Images[0].LostWorkers);
        Assert.Equal(2, done.Images[0].Attempts);
        Assert.Equal(1, builder.Build.RunsOf(compose.Id, 0));
    }

    [Fact]
    public async Task ImageLosingMoreWorkersThanAllowed_FailsWithJobMissingHeartbeat()
    {
        var store = await Backend.OpenStoreAsync();
        var storage = Backend.OpenJobStorage();
        var settings = TestEngineHost.FastSettings with { MaxLostWorkers = 0 };
        await using var scheduler = await TestEngineHost.StartAsync(store, storage, new RoleSettings { ServerName = "sched" }, settings);
        var compose = await scheduler.SubmitAsync(Composes.Koji(["ppc64le"], ["guest-image"]));
        await scheduler.WaitForAsync(compose.Id, c => c.State == ComposeState.Running, "the reservation");
        await store.ClaimAsync(StepRef.Image(compose.Id, 0), "ghost:1:dead", DateTimeOffset.UtcNow, TimeSpan.FromSeconds(1), 0, CancellationToken.None);

        await using var builder = await TestEngineHost.StartAsync(store, storage, new RoleSettings { Scheduler = false, BuildArches = ["ppc64le"], ServerName = "ppc" }, settings, koji: scheduler.Koji);
        var done = await scheduler.WaitForFinalAsync(compose.Id);

        Assert.Equal(ComposeState.Failure, done.State);
        Assert.Equal(JobErrorCodes.JobMissingHeartbeat, done.Images[0].Error!.Id);
        Assert.Empty(builder.Build.Runs);
        Assert.Single(scheduler.Koji.Refunds);
    }

    [Fact]
    public async Task GracefulShutdown_HandsTheRunningBuildBack_AndTheNextProcessFinishesIt()
    {
        var store = await Backend.OpenStoreAsync();
        var storage = Backend.OpenJobStorage();
        var first = await TestEngineHost.StartAsync(store, storage, new RoleSettings { BuildArches = ["x86_64"], ServerName = "first" });
        first.Build.Behavior = async (_, _, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return ImageBuildOutcome.Succeeded();
        };
        var compose = await first.SubmitAsync(Composes.Koji(["x86_64"], ["guest-image"]));
        await first.WaitForAsync(compose.Id, c => c.Images[0].State == ImageState.Building, "the build to start");

        await first.DisposeAsync();
        var handedBack = (await store.GetAsync(compose.Id, CancellationToken.None))!;
        Assert.Equal(ImageState.Pending, handedBack.Images[0].State);
        Assert.Single(first.Build.Canceled);

        await using var second = await TestEngineHost.StartAsync(store, Backend.OpenJobStorage(), new RoleSettings { BuildArches = ["x86_64"], ServerName = "second" }, koji: first.Koji);
        var done = await second.WaitForFinalAsync(compose.Id);
        Assert.Equal(ComposeState.Success, done.State);
        Assert.Equal(0, done.Images[0].LostWorkers);
        Assert.Equal(1, second.Build.RunsOf(compose.Id, 0));
    }

    [Fact]
    public async Task RetryFailed_RebuildsOnlyTheFailedImages_UnderANewReservation()
    {
        var store = await Backend.OpenStoreAsync();
        await using var host = await TestEngineHost.StartAsync(store, Backend.OpenJobStorage());
        var failOnce = 1;
        host.Build.Behavior = (request, _, _) => Task.FromResult(request.ImageType == "aws" && request.Arch == "x86_64" && Interlocked.Exchange(ref failOnce, 0) == 1
            ? ImageBuildOutcome.Failed(new JobError(JobErrorCodes.BuildJob, "osbuild build failed"))
            : ImageBuildOutcome.Succeeded());
        var compose = await host.SubmitAsync(Composes.Koji());
        var failed = await host.WaitForFinalAsync(compose.Id);
        Assert.Equal(ComposeState.Failure, failed.State);

        var retry = await host.Operations.RetryFailedAsync(compose.Id, CancellationToken.None);
        Assert.Equal((RetryOutcome.Restarted, 1), (retry.Outcome, retry.ImagesReset));
        var done = await host.WaitForFinalAsync(compose.Id);

        Assert.Equal(ComposeState.Success, done.State);
        Assert.Equal(1, done.Generation);
        Assert.Equal(5, host.Build.Runs.Count);
        Assert.Equal(2, host.Koji.Reserves.Count);
        Assert.NotEqual(failed.Reservation!.BuildId, done.Reservation!.BuildId);
        Assert.Equal([(compose.Id, done.Reservation.BuildId)], host.Koji.Imports);
        Assert.Equal([(compose.Id, failed.Reservation.BuildId, false)], host.Koji.Refunds);
    }

    [Fact]
    public async Task LostFinalizeEnqueue_IsRepairedByTheReconciler()
    {
        var store = await Backend.OpenStoreAsync();
        var storage = Backend.OpenJobStorage();
        // No scheduler role: nobody runs finalize until a scheduler process (with its reconciler) starts.
        await using var builder = await TestEngineHost.StartAsync(store, storage, new RoleSettings { Scheduler = false, BuildArches = ["x86_64"], ServerName = "b" });
        var (compose, _) = await store.CreateAsync(Composes.Koji(["x86_64"], ["guest-image"]), DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.Equal(ComposeState.Pending, compose.State);

        // The submit's enqueue never happened (a crash right after the store write): the reconciler finds the
        // ready init, and later every step, and the compose completes.
        await using var scheduler = await TestEngineHost.StartAsync(store, storage, new RoleSettings { BuildArches = [], ServerName = "s" }, koji: builder.Koji);
        var done = await scheduler.WaitForFinalAsync(compose.Id);

        Assert.Equal(ComposeState.Success, done.State);
        Assert.Single(builder.Koji.Imports);
    }
}

/// <summary>The engine on the embedded store (SQLite + in-memory Hangfire queue).</summary>
public sealed class EmbeddedComposeEngineTests() : ComposeEngineTests(new EmbeddedBackend());

/// <summary>The engine on PostgreSQL (compose tables and Hangfire.PostgreSql in one database).</summary>
public sealed class PostgresComposeEngineTests(KojiComposer.Testing.PostgresDatabaseFixture database)
    : ComposeEngineTests(new PostgresBackend(database)), IClassFixture<KojiComposer.Testing.PostgresDatabaseFixture>;
