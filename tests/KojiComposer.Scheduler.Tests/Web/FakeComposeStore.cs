using System.Collections.Concurrent;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Store;

namespace KojiComposer.Scheduler.Tests.Web;

/// <summary>
/// An in-memory compose store with only what the web front reads (get, list, count, create), until the real
/// stores land on main; the tests put composes in any state with <see cref="Put"/>. <see cref="Failing"/> makes every
/// read throw, like a database that went away.
/// </summary>
internal sealed class FakeComposeStore : IComposeStore
{
    private readonly ConcurrentDictionary<Guid, Compose> _composes = new();

    public bool Failing { get; set; }

    public Compose Put(Compose compose)
    {
        _composes[compose.Id] = compose;
        return compose;
    }

    public Task MigrateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<(Compose Compose, bool Created)> CreateAsync(NewCompose compose, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (compose.KojiTaskId is { } task && _composes.Values.FirstOrDefault(c => c.KojiTaskId == task) is { } existing)
        {
            return Task.FromResult((existing, false));
        }

        var created = new Compose
        {
            Id = Guid.NewGuid(),
            Name = compose.Name,
            Version = compose.Version,
            Release = compose.Release,
            Distribution = compose.Distribution,
            KojiTaskId = compose.KojiTaskId,
            KojiServer = compose.KojiServer,
            Customizations = compose.Customizations,
            Request = compose.Request,
            Seed = compose.Seed,
            SubmittedBy = compose.SubmittedBy,
            State = ComposeState.Pending,
            InitState = StepState.Pending,
            FinalizeState = StepState.Pending,
            Images = compose.Images.Select((image, index) => new ComposeImage
            {
                Index = index,
                Arch = image.Arch,
                ImageType = image.ImageType,
                ImageRequest = image.ImageRequest,
                State = ImageState.Pending,
            }).ToList(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        return Task.FromResult((Put(created), true));
    }

    public Task<Compose?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        return Task.FromResult(_composes.GetValueOrDefault(id));
    }

    public Task<Compose?> FindByKojiTaskAsync(long kojiTaskId, CancellationToken cancellationToken) =>
        Task.FromResult(_composes.Values.FirstOrDefault(c => c.KojiTaskId == kojiTaskId));

    public Task<ComposePage> ListAsync(ComposeQuery query, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        var matches = _composes.Values
            .Where(c => query.State is null || c.State == query.State)
            .Where(c => query.Nvr is null || c.Nvr.Contains(query.Nvr, StringComparison.OrdinalIgnoreCase))
            .Where(c => query.KojiTaskId is null || c.KojiTaskId == query.KojiTaskId)
            .Where(c => query.CreatedAfter is null || c.CreatedAt >= query.CreatedAfter)
            .OrderByDescending(c => c.CreatedAt)
            .ToList();
        return Task.FromResult(new ComposePage(matches.Skip(query.Offset).Take(query.Limit).ToList(), matches.Count));
    }

    public Task<StoreCounts> CountAsync(CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        var composes = _composes.Values.GroupBy(c => c.State).ToDictionary(g => g.Key, g => g.Count());
        var images = _composes.Values.SelectMany(c => c.Images).GroupBy(i => (i.State, i.Arch)).ToDictionary(g => g.Key, g => g.Count());
        return Task.FromResult(new StoreCounts(composes, images));
    }

    private void ThrowIfFailing()
    {
        if (Failing)
        {
            throw new InvalidOperationException("database is unreachable");
        }
    }

    public Task<StepClaim> ClaimAsync(StepRef step, string owner, DateTimeOffset now, TimeSpan lease, int maxLostWorkers, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<LeaseRenewal> RenewAsync(StepRef step, string owner, DateTimeOffset now, TimeSpan lease, ImageState? phase, ImageProgress? progress, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> ReleaseAsync(StepRef step, string owner, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<InitCompletion> CompleteInitAsync(Guid composeId, string owner, Reservation? reservation, JobError? error, bool canceled, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<FanInResult> CompleteImageAsync(StepRef image, string owner, ImageState state, JobError? error, ImageBuildOutcome? outcome, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> CompleteFinalizeAsync(Guid composeId, string owner, ComposeState state, JobError? error, string? result, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<CancelResult> RequestCancelAsync(Guid composeId, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<RetryResult> RetryFailedAsync(Guid composeId, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task MarkEnqueuedAsync(StepRef step, string jobId, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<OrphanCandidate>> FindOrphanCandidatesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) => throw new NotSupportedException();
}
