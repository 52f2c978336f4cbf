using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.Scheduler.Koji;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Store;
using KojiComposer.Testing.Hub;
using Microsoft.Extensions.Logging.Abstractions;

namespace KojiComposer.Scheduler.Tests.Koji;

/// <summary>
/// A simulated hub (CG user <c>osbuild-cg</c> with access to CG <c>osbuild</c>) and the content-generator steps
/// working against it; the compose store only answers <see cref="IComposeStore.FindByNvrAsync"/>, from
/// <see cref="Composes"/>.
/// </summary>
internal sealed class ContentGeneratorTestHub : IAsyncDisposable
{
    private ContentGeneratorTestHub(SimulatedHub hub, TimeProvider? time)
    {
        Hub = hub;
        Store = new NvrStore(this);
        Steps = new ContentGeneratorSteps(hub.ClientOptions(), SimulatedHub.ContentGeneratorIdentity, "osbuild", Store,
            NullLogger<ContentGeneratorSteps>.Instance, time: time);
    }

    public SimulatedHub Hub { get; }

    public ContentGeneratorSteps Steps { get; }

    public IComposeStore Store { get; }

    /// <summary>What the store knows (for the lost-reservation check).</summary>
    public List<Compose> Composes { get; } = [];

    public string Url => Hub.Url.AbsoluteUri;

    public static async Task<ContentGeneratorTestHub> StartAsync(TimeProvider? time = null) => new(await SimulatedHub.StartAsync(), time);

    public Task<KojiSession> LoginAsCgAsync() => Hub.LoginAsync(SimulatedHub.ContentGeneratorIdentity);

    /// <summary>Uploads files into the compose's directory as the CG user, as the workers do; returns them as the
    /// worker records them. Each <c>(type, name, arch, size)</c>; contents are a pattern of <c>size</c> bytes.</summary>
    public async Task<IReadOnlyList<KojiOutputFile>> UploadAsync(string directory, params (string Type, string Name, string Arch, int Size)[] files)
    {
        await using var session = await LoginAsCgAsync();
        var uploaded = new List<KojiOutputFile>();
        foreach (var (type, name, arch, size) in files)
        {
            var bytes = new byte[size];
            for (var i = 0; i < size; i++)
            {
                bytes[i] = (byte)((i * 7) + name.Length);
            }

            var result = await session.UploadAsync(new MemoryStream(bytes), directory, name);
            uploaded.Add(new KojiOutputFile(type, name, result.Size, result.Md5, result.Sha256, arch));
        }

        return uploaded;
    }

    /// <summary>The image, manifest and log of one image, uploaded.</summary>
    public Task<IReadOnlyList<KojiOutputFile>> UploadImageAsync(string directory, string nvr, string arch = "x86_64", string extension = ".qcow2") =>
        UploadAsync(directory,
            ("image", $"{nvr}.{arch}{extension}", arch, 70_004),
            ("osbuild-manifest", $"{nvr}.{arch}{extension}.manifest.json", arch, 1_234),
            ("log", $"{nvr}.{arch}{extension}.osbuild.log", "noarch", 17));

    /// <summary>Reserves and returns the compose with the reservation stored, as init leaves it.</summary>
    public async Task<(Compose Compose, Reservation Reservation)> ReserveAsync(Compose compose)
    {
        var reservation = await Steps.ReserveAsync(compose, CancellationToken.None)
            ?? throw new InvalidOperationException("the compose made no reservation");
        return (compose with { InitState = StepState.Success, Reservation = reservation, Release = reservation.Release ?? compose.Release }, reservation);
    }

    public ValueTask DisposeAsync() => Hub.DisposeAsync();

    /// <summary>A compose store that only finds composes by NVR.</summary>
    private sealed class NvrStore(ContentGeneratorTestHub owner) : IComposeStore
    {
        public Task<IAsyncDisposable?> TryLockInstanceAsync(string name, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<Compose>> FindByNvrAsync(string name, string version, string release, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<Compose>>(owner.Composes
                .Where(c => c.Name == name && c.Version == version && c.Release == release)
                .OrderBy(c => c.CreatedAt).ToList());

        public Task MigrateAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<(Compose Compose, bool Created)> CreateAsync(NewCompose compose, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<Compose?> GetAsync(Guid id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<Compose?> FindByKojiTaskAsync(long kojiTaskId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ComposePage> ListAsync(ComposeQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<StoreCounts> CountAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<StepClaim> ClaimAsync(StepRef step, string owner, DateTimeOffset now, TimeSpan lease, int maxLostWorkers, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<LeaseRenewal> RenewAsync(StepRef step, string owner, DateTimeOffset now, TimeSpan lease, ImageState? phase, ImageProgress? progress, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> ReleaseAsync(StepRef step, string owner, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<InitCompletion> CompleteInitAsync(Guid composeId, string owner, Reservation? reservation, JobError? error, bool canceled, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<FanInResult> CompleteImageAsync(StepRef image, string owner, ImageState state, JobError? error, ImageBuildOutcome? outcome, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> CompleteFinalizeAsync(Guid composeId, string owner, ComposeState state, JobError? error, string? result, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<CancelResult> RequestCancelAsync(Guid composeId, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<RetryResult> RetryFailedAsync(Guid composeId, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task MarkEnqueuedAsync(StepRef step, string jobId, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<int> ExpireAllLeasesAsync(DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<OrphanCandidate>> FindOrphanCandidatesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
