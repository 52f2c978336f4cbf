using System.Collections.Concurrent;
using KojiComposer.Contracts.Queues;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Store;

namespace KojiComposer.Scheduler.Tests.Store;

/// <summary>The reconciler's candidates, restarts, migrations and concurrent deliveries.</summary>
public abstract partial class ComposeStoreConformanceTests
{
    [Fact]
    public async Task FindOrphans_ListsAPendingInit_WithItsJobAndQueue()
    {
        var id = await CreateAsync();
        await Store.MarkEnqueuedAsync(StepRef.Init(id), "17", T0, CancellationToken.None);

        var candidates = await Store.FindOrphanCandidatesAsync(T0.AddMinutes(1), 100, CancellationToken.None);

        Assert.Equal([new OrphanCandidate(StepRef.Init(id), OrphanReason.ReadyNotRunning, "17", QueueNames.Init)], candidates);
    }

    [Fact]
    public async Task FindOrphans_ListsPendingImagesAfterInit_OnTheirArchitecturesQueues()
    {
        var before = await CreateAsync(images: 2);
        var id = await CreateReservedAsync(images: 2);
        await Store.MarkEnqueuedAsync(StepRef.Image(id, 1), "42", T0.AddSeconds(2), CancellationToken.None);

        var candidates = await Store.FindOrphanCandidatesAsync(T0.AddMinutes(1), 100, CancellationToken.None);

        Assert.Contains(new OrphanCandidate(StepRef.Image(id, 0), OrphanReason.ReadyNotRunning, null, QueueNames.Build("x86_64")), candidates);
        Assert.Contains(new OrphanCandidate(StepRef.Image(id, 1), OrphanReason.ReadyNotRunning, "42", QueueNames.Build("aarch64")), candidates);
        Assert.DoesNotContain(candidates, c => c.Step.ComposeId == before && c.Step.Kind == StepKind.Image);
        Assert.DoesNotContain(candidates, c => c.Step.ComposeId == id && c.Step.Kind != StepKind.Image);
    }

    [Fact]
    public async Task FindOrphans_ListsAClaimedFinalizeThatDidNotStart()
    {
        var id = await CreateReservedAsync(images: 1);
        await BuildAsync(id, 0);
        await Store.MarkEnqueuedAsync(StepRef.Finalize(id), "99", T0.AddMinutes(2), CancellationToken.None);

        var candidates = await Store.FindOrphanCandidatesAsync(T0.AddMinutes(3), 100, CancellationToken.None);

        Assert.Equal([new OrphanCandidate(StepRef.Finalize(id), OrphanReason.ReadyNotRunning, "99", QueueNames.Finalize)], candidates);
    }

    [Fact]
    public async Task FindOrphans_ListsAnExpiredLease_OnlyUntilAJobIsEnqueuedAfterItExpired()
    {
        var id = await CreateReservedAsync(images: 1);
        var image = StepRef.Image(id, 0);
        await Store.MarkEnqueuedAsync(image, "1", T0.AddSeconds(2), CancellationToken.None);
        await ClaimAsync(image, Builder, T0.AddMinutes(1));
        var leaseEnd = T0.AddMinutes(1) + Lease;

        Assert.Empty(await Store.FindOrphanCandidatesAsync(leaseEnd - TimeSpan.FromSeconds(1), 100, CancellationToken.None));
        var expired = await Store.FindOrphanCandidatesAsync(leaseEnd.AddMinutes(1), 100, CancellationToken.None);
        Assert.Equal([new OrphanCandidate(image, OrphanReason.LeaseExpired, "1", QueueNames.Build("x86_64"))], expired);

        await Store.MarkEnqueuedAsync(image, "2", leaseEnd.AddMinutes(1), CancellationToken.None);
        Assert.Empty(await Store.FindOrphanCandidatesAsync(leaseEnd.AddMinutes(2), 100, CancellationToken.None));
    }

    [Fact]
    public async Task ExpireAllLeases_HandsEveryRunningStepToTheReconcilerAtOnce_AfterARestart()
    {
        var init = await CreateAsync();
        await ClaimAsync(StepRef.Init(init), Scheduler, T0);
        var id = await CreateReservedAsync(images: 2);
        var image = StepRef.Image(id, 0);
        await Store.MarkEnqueuedAsync(image, "1", T0.AddSeconds(2), CancellationToken.None);
        await ClaimAsync(image, Builder, T0.AddSeconds(5));
        var restart = T0.AddSeconds(10);
        Assert.DoesNotContain(await Store.FindOrphanCandidatesAsync(restart, 100, CancellationToken.None), c => c.Reason == OrphanReason.LeaseExpired);

        var expired = await Store.ExpireAllLeasesAsync(restart, CancellationToken.None);
        var candidates = await Store.FindOrphanCandidatesAsync(restart.AddMilliseconds(1), 100, CancellationToken.None);

        Assert.Equal(2, expired);
        Assert.Contains(new OrphanCandidate(image, OrphanReason.LeaseExpired, "1", QueueNames.Build("x86_64")), candidates);
        Assert.Contains(candidates, c => c.Step == StepRef.Init(init) && c.Reason == OrphanReason.LeaseExpired);
        var reclaimed = await Store.ClaimAsync(image, "restarted:1:abcd", restart.AddSeconds(1), Lease, 2, CancellationToken.None);
        Assert.Equal(ClaimOutcome.Claimed, reclaimed.Outcome);
        Assert.Equal(1, (await Store.GetAsync(id, CancellationToken.None))!.Images[0].LostWorkers);
        // Only live leases are touched: once the new one has run out too, there is nothing left to end.
        Assert.Equal(0, await Store.ExpireAllLeasesAsync(restart.AddSeconds(2) + Lease, CancellationToken.None));
    }

    [Fact]
    public async Task FindOrphans_ListsExpiredInitAndFinalizeLeases()
    {
        var init = await CreateAsync();
        await ClaimAsync(StepRef.Init(init), Scheduler, T0);
        var finalize = await CreateReservedAsync(images: 1);
        await BuildAsync(finalize, 0);
        await ClaimAsync(StepRef.Finalize(finalize), Scheduler, T0.AddMinutes(2));

        var candidates = await Store.FindOrphanCandidatesAsync(T0.AddHours(1), 100, CancellationToken.None);

        Assert.Equal(2, candidates.Count);
        Assert.Contains(new OrphanCandidate(StepRef.Init(init), OrphanReason.LeaseExpired, null, QueueNames.Init), candidates);
        Assert.Contains(new OrphanCandidate(StepRef.Finalize(finalize), OrphanReason.LeaseExpired, null, QueueNames.Finalize), candidates);
    }

    [Fact]
    public async Task FindOrphans_NeverListsFinalComposes_AndHonoursTheLimit()
    {
        var done = await CreateReservedAsync(images: 1);
        await BuildAsync(done, 0);
        await ClaimAsync(StepRef.Finalize(done), Scheduler, T0.AddMinutes(5));
        await Store.CompleteFinalizeAsync(done, Scheduler, ComposeState.Success, null, null, T0.AddMinutes(6), CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            await CreateAsync(at: T0.AddMinutes(i));
        }

        var all = await Store.FindOrphanCandidatesAsync(T0.AddHours(1), 100, CancellationToken.None);
        var limited = await Store.FindOrphanCandidatesAsync(T0.AddHours(1), 2, CancellationToken.None);

        Assert.Equal(3, all.Count);
        Assert.All(all, c => Assert.NotEqual(done, c.Step.ComposeId));
        Assert.Equal(2, limited.Count);
    }

    [Fact]
    public async Task Compose_ContinuesInANewStoreInstance_AfterARestart()
    {
        var id = await CreateAsync(images: 2);
        await ClaimAsync(StepRef.Init(id), Scheduler, T0);
        await Store.CompleteInitAsync(id, Scheduler, new Reservation(4242, Token), null, false, T0.AddSeconds(1), CancellationToken.None);
        await BuildAsync(id, 0);
        await ClaimAsync(StepRef.Image(id, 1), Builder, T0.AddMinutes(1));

        var restarted = await OpenStoreAsync();
        var afterRestart = T0.AddMinutes(1) + Lease + TimeSpan.FromSeconds(1);
        var orphans = await restarted.FindOrphanCandidatesAsync(afterRestart, 100, CancellationToken.None);
        Assert.Equal([new OrphanCandidate(StepRef.Image(id, 1), OrphanReason.LeaseExpired, null, QueueNames.Build("aarch64"))], orphans);
        Assert.Equal(new StepClaim(ClaimOutcome.Claimed, 2), await ClaimAsync(StepRef.Image(id, 1), OtherBuilder, afterRestart, restarted));
        var end = await restarted.CompleteImageAsync(StepRef.Image(id, 1), OtherBuilder, ImageState.Success, null, Outcome(1), afterRestart.AddMinutes(1), CancellationToken.None);

        Assert.Equal(new FanInResult(true, true), end);
        var stored = await GetAsync(id, restarted);
        Assert.Equal(ComposeState.Finalizing, stored.State);
        Assert.Equal(new Reservation(4242, Token), stored.Reservation);
        Assert.Equal(1, stored.Images[1].LostWorkers);
    }

    [Fact]
    public async Task Migrate_IsSafe_WhenRepeatedAndRunConcurrently_AndKeepsTheData()
    {
        var id = await CreateAsync();

        var stores = Enumerable.Range(0, 4).Select(_ => CreateStore()).ToList();
        _opened.AddRange(stores);
        await Task.WhenAll(stores.Select(s => Task.Run(() => s.MigrateAsync(CancellationToken.None))));
        await Store.MigrateAsync(CancellationToken.None);

        Assert.Equal(id, (await GetAsync(id, stores[0])).Id);
        Assert.Equal(1, (await stores[3].ListAsync(new ComposeQuery(), CancellationToken.None)).Total);
    }

    [Fact]
    public async Task CompleteImage_ClaimsFinalizeExactlyOncePerCompose_UnderConcurrentRepeatedDeliveries()
    {
        const int Composes = 50;
        const int Images = 4;
        var ids = new List<Guid>();
        for (var i = 0; i < Composes; i++)
        {
            ids.Add(await CreateReservedAsync(images: Images));
        }

        var now = T0.AddMinutes(1);
        var finalizeClaims = new ConcurrentDictionary<Guid, int>();
        var accepted = new ConcurrentDictionary<StepRef, int>();

        // Every image job is delivered twice (at least once delivery), each delivery by its own worker; a delivery
        // that gets the lease also sends its completion twice (a retried job whose first try committed).
        var deliveries = ids.SelectMany(id => Enumerable.Range(0, Images).SelectMany(index => Enumerable.Range(0, 2).Select(copy => (Step: StepRef.Image(id, index), Owner: $"worker-{index}-{copy}"))))
            .OrderBy(_ => Random.Shared.Next())
            .ToList();
        await Parallel.ForEachAsync(deliveries, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (delivery, cancellationToken) =>
        {
            var claim = await Store.ClaimAsync(delivery.Step, delivery.Owner, now, Lease, MaxLostWorkers, cancellationToken);
            if (!claim.HoldsLease)
            {
                return;
            }

            for (var repeat = 0; repeat < 2; repeat++)
            {
                var result = await Store.CompleteImageAsync(delivery.Step, delivery.Owner, ImageState.Success, null, Outcome(delivery.Step.ImageIndex), now.AddMinutes(1), cancellationToken);
                if (result.Accepted)
                {
                    accepted.AddOrUpdate(delivery.Step, 1, (_, n) => n + 1);
                }

                if (result.FinalizeClaimed)
                {
                    finalizeClaims.AddOrUpdate(delivery.Step.ComposeId, 1, (_, n) => n + 1);
                }
            }
        });

        Assert.Equal(Composes * Images, accepted.Count);
        Assert.All(accepted.Values, n => Assert.Equal(1, n));
        Assert.Equal(ids.ToHashSet(), finalizeClaims.Keys.ToHashSet());
        Assert.All(finalizeClaims.Values, n => Assert.Equal(1, n));
        var page = await Store.ListAsync(new ComposeQuery { State = ComposeState.Finalizing, Limit = 1000 }, CancellationToken.None);
        Assert.Equal(Composes, page.Total);
        Assert.All(page.Items, c => Assert.All(c.Images, i => Assert.Equal(ImageState.Success, i.State)));
    }

    [Fact]
    public async Task FanIn_ClaimsFinalizeExactlyOnce_WhenACancelRacesTheLastRunningImage()
    {
        const int Composes = 20;
        var ids = new List<Guid>();
        for (var i = 0; i < Composes; i++)
        {
            var id = await CreateReservedAsync(images: 3);
            await BuildAsync(id, 0);
            Assert.True((await ClaimAsync(StepRef.Image(id, 1), Builder, T0.AddMinutes(2))).HoldsLease);
            ids.Add(id);
        }

        // Per compose: image 1 ends while an operator cancels (which cancels pending image 2) and cancels again.
        var results = await Task.WhenAll(ids.Select(async id =>
        {
            var end = Task.Run(() => Store.CompleteImageAsync(StepRef.Image(id, 1), Builder, ImageState.Success, null, Outcome(1), T0.AddMinutes(3), CancellationToken.None));
            var cancel = Task.Run(() => Store.RequestCancelAsync(id, T0.AddMinutes(3), CancellationToken.None));
            var again = Task.Run(() => Store.RequestCancelAsync(id, T0.AddMinutes(3), CancellationToken.None));
            return (id, claims: new[] { (await end).FinalizeClaimed, (await cancel).FinalizeClaimed, (await again).FinalizeClaimed }.Count(c => c));
        }));

        Assert.All(results, r => Assert.Equal(1, r.claims));
        foreach (var id in ids)
        {
            var stored = await GetAsync(id);
            Assert.Equal(ComposeState.Finalizing, stored.State);
            Assert.Equal([ImageState.Success, ImageState.Success, ImageState.Canceled], stored.Images.Select(i => i.State));
        }
    }

    [Fact]
    public async Task Claim_GivesTheLeaseToExactlyOneOwner_WhenTenClaimAtOnce()
    {
        var id = await CreateReservedAsync(images: 1);
        var image = StepRef.Image(id, 0);

        var claims = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => Store.ClaimAsync(image, $"worker-{i}", T0.AddMinutes(1), Lease, MaxLostWorkers, CancellationToken.None))));

        var winner = Assert.Single(claims, c => c.HoldsLease);
        Assert.Equal(1, winner.Attempt);
        Assert.All(claims.Where(c => !c.HoldsLease), c => Assert.Equal(ClaimOutcome.HeldByOther, c.Outcome));
        var stored = (await GetAsync(id)).Images[0];
        Assert.Equal(1, stored.Attempts);
        Assert.Equal($"worker-{Array.FindIndex(claims, c => c.HoldsLease)}", stored.Worker);
    }
}
