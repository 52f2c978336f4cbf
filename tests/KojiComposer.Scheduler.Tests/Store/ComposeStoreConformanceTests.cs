using System.Text.Json.Nodes;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Store;

namespace KojiComposer.Scheduler.Tests.Store;

/// <summary>
/// The <see cref="IComposeStore"/> contract, run against every implementation: each subclass gives a fresh, empty
/// store per test (<see cref="OpenStore"/> opens another instance over the same data, like a restarted process).
/// Times are fixed (<see cref="T0"/> onwards), never the wall clock.
/// </summary>
public abstract partial class ComposeStoreConformanceTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    protected static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    protected const int MaxLostWorkers = 2;
    protected const string Scheduler = "scheduler1:100:aaaa";
    protected const string Builder = "builder1:200:bbbb";
    protected const string OtherBuilder = "builder2:300:cccc";
    protected const string Token = "cg-token-9f8e7d";

    private readonly List<IComposeStore> _opened = [];
    private IComposeStore? _store;

    /// <summary>The test's store, migrated.</summary>
    protected IComposeStore Store => _store ?? throw new InvalidOperationException("not initialised");

    /// <summary>Makes a new store instance over this test's storage (the same data on every call).</summary>
    protected abstract IComposeStore CreateStore();

    /// <summary>A new, migrated store instance over the same data, disposed with the test.</summary>
    protected async Task<IComposeStore> OpenStoreAsync()
    {
        var store = CreateStore();
        _opened.Add(store);
        await store.MigrateAsync(CancellationToken.None);
        return store;
    }

    public virtual async Task InitializeAsync() => _store = await OpenStoreAsync();

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            if (store is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    protected static NewCompose Sample(int images = 2, long? kojiTask = null, string name = "Fedora-Cloud", string version = "42", string release = "1")
    {
        var list = new List<NewComposeImage>();
        for (var i = 0; i < images; i++)
        {
            var arch = i % 2 == 0 ? "x86_64" : "aarch64";
            list.Add(new NewComposeImage(arch, "guest-image", new JsonObject
            {
                ["architecture"] = arch,
                ["image_type"] = "guest-image",
                ["repositories"] = new JsonArray(new JsonObject { ["baseurl"] = $"https://repo.example/{arch}/" }),
            }));
        }

        return new NewCompose
        {
            Name = name,
            Version = version,
            Release = release,
            Distribution = "fedora-42",
            KojiTaskId = kojiTask,
            KojiServer = "https://koji.example/kojihub",
            Images = list,
            Customizations = new JsonObject { ["packages"] = new JsonArray("vim", "tmux"), ["hostname"] = "cloud" },
            Request = new JsonObject { ["distribution"] = "fedora-42", ["koji"] = new JsonObject { ["task_id"] = kojiTask } },
            Seed = 1234567890123,
            SubmittedBy = "releng",
        };
    }

    protected async Task<Guid> CreateAsync(int images = 2, long? kojiTask = null, string name = "Fedora-Cloud", DateTimeOffset? at = null, IComposeStore? store = null)
    {
        var (compose, created) = await (store ?? Store).CreateAsync(Sample(images, kojiTask, name), at ?? T0, CancellationToken.None);
        Assert.True(created);
        return compose.Id;
    }

    /// <summary>A compose whose init succeeded: its images are ready to build.</summary>
    protected async Task<Guid> CreateReservedAsync(int images = 2, IComposeStore? store = null)
    {
        store ??= Store;
        var id = await CreateAsync(images, store: store);
        Assert.Equal(ClaimOutcome.Claimed, (await store.ClaimAsync(StepRef.Init(id), Scheduler, T0, Lease, MaxLostWorkers, CancellationToken.None)).Outcome);
        var init = await store.CompleteInitAsync(id, Scheduler, new Reservation(4242, Token), null, false, T0.AddSeconds(1), CancellationToken.None);
        Assert.True(init.Accepted);
        return id;
    }

    protected Task<StepClaim> ClaimAsync(StepRef step, string owner, DateTimeOffset now, IComposeStore? store = null) =>
        (store ?? Store).ClaimAsync(step, owner, now, Lease, MaxLostWorkers, CancellationToken.None);

    /// <summary>Claims and ends one image.</summary>
    protected async Task<FanInResult> BuildAsync(Guid id, int index, ImageState state = ImageState.Success, DateTimeOffset? at = null, IComposeStore? store = null)
    {
        store ??= Store;
        var now = at ?? T0.AddMinutes(1);
        Assert.True((await ClaimAsync(StepRef.Image(id, index), Builder, now, store)).HoldsLease);
        var error = state == ImageState.Failure ? new JobError(JobErrorCodes.BuildJob, "osbuild build failed") : null;
        return await store.CompleteImageAsync(StepRef.Image(id, index), Builder, state, error, Outcome(index), now.AddSeconds(30), CancellationToken.None);
    }

    protected static ImageBuildOutcome Outcome(int index) => ImageBuildOutcome.Succeeded(
        [new UploadResult("koji", true, new JsonObject { ["build_id"] = 4242, ["image"] = $"image-{index}.qcow2" })],
        manifest: $"{{\"version\":\"2\",\"image\":{index}}}",
        result: $"{{\"success\":true,\"image\":{index}}}");

    protected async Task<Compose> GetAsync(Guid id, IComposeStore? store = null) =>
        await (store ?? Store).GetAsync(id, CancellationToken.None) ?? throw new InvalidOperationException($"compose {id} is gone");

    protected static void AssertJsonEqual(JsonNode? expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected?.ToJsonString()}, got {actual?.ToJsonString()}");
}
