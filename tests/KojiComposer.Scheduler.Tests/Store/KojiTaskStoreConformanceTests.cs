using System.Text.Json.Nodes;
using KojiComposer.Scheduler.Koji.Tasks;
using KojiComposer.Scheduler.Store;

namespace KojiComposer.Scheduler.Tests.Store;

/// <summary>
/// The <see cref="IKojiTaskStore"/> contract, run against every compose store (they implement it over table
/// <c>koji_task</c>): each subclass gives fresh, empty storage per test; <see cref="OpenStoreAsync"/> opens another
/// instance over the same data, like a second process or a restarted one. Times are fixed, never the wall clock.
/// </summary>
public abstract class KojiTaskStoreConformanceTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    protected const string OsbuildImage = "osbuildImage";

    private readonly List<IComposeStore> _opened = [];
    private IKojiTaskStore? _tasks;

    /// <summary>The test's store, migrated.</summary>
    protected IKojiTaskStore Tasks => _tasks ?? throw new InvalidOperationException("not initialised");

    /// <summary>Makes a new store instance over this test's storage (the same data on every call).</summary>
    protected abstract IComposeStore CreateStore();

    /// <summary>A new, migrated store instance over the same data, disposed with the test.</summary>
    protected async Task<IKojiTaskStore> OpenStoreAsync()
    {
        var store = CreateStore();
        _opened.Add(store);
        await store.MigrateAsync(CancellationToken.None);
        return Assert.IsAssignableFrom<IKojiTaskStore>(store);
    }

    public virtual async Task InitializeAsync() => _tasks = await OpenStoreAsync();

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

    /// <summary>An <c>osbuildImage</c> request as the hub decodes it.</summary>
    protected static JsonArray Request(string release = "1") => new(
        "Fedora-Cloud",
        "42",
        "fedora-42",
        new JsonArray("guest-image", "aws"),
        "f42-candidate",
        new JsonArray("x86_64", "aarch64"),
        new JsonObject
        {
            ["release"] = release,
            ["repo"] = new JsonArray("https://repo.example/fedora/42/$arch/"),
            ["ostree"] = new JsonObject { ["ref"] = "fedora/42/${basearch}/cloud", ["parent"] = null },
            ["skip_tag"] = false,
            ["build_id"] = 9007199254740993,
            ["note"] = "ünïcode \"quoted\"",
        });

    protected static JsonObject Data(string tag = "f42-candidate") => new()
    {
        ["destination_tag"] = tag,
        ["skip_tag"] = false,
        ["tag_task_id"] = 90001,
    };

    protected async Task<KojiTaskRecord> ReceiveAsync(long taskId, DateTimeOffset? at = null, string method = OsbuildImage, IKojiTaskStore? store = null)
    {
        var (record, created) = await (store ?? Tasks).ReceiveTaskAsync(taskId, method, Request(), at ?? T0, CancellationToken.None);
        Assert.True(created);
        return record;
    }

    protected Task<KojiTaskRecord> UpdateAsync(long taskId, KojiTaskStage stage, DateTimeOffset at, Guid? composeId = null, JsonObject? data = null, int? faultCode = null, string? faultString = null) =>
        Tasks.UpdateTaskAsync(taskId, stage, composeId, data, faultCode, faultString, at, CancellationToken.None);

    protected async Task<KojiTaskRecord> GetAsync(long taskId, IKojiTaskStore? store = null) =>
        await (store ?? Tasks).GetTaskAsync(taskId, CancellationToken.None) ?? throw new InvalidOperationException($"task {taskId} has no record");

    /// <summary>Every field equal, the JSON ones by value.</summary>
    protected static void AssertSameRecord(KojiTaskRecord expected, KojiTaskRecord actual)
    {
        Assert.Equal(expected.TaskId, actual.TaskId);
        Assert.Equal(expected.Method, actual.Method);
        Assert.Equal(expected.Stage, actual.Stage);
        AssertJsonEqual(expected.Request, actual.Request);
        Assert.Equal(expected.ComposeId, actual.ComposeId);
        AssertJsonEqual(expected.Data, actual.Data);
        Assert.Equal(expected.FaultCode, actual.FaultCode);
        Assert.Equal(expected.FaultString, actual.FaultString);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.UpdatedAt, actual.UpdatedAt);
        Assert.Equal(expected.FinishedAt, actual.FinishedAt);
    }

    protected static void AssertJsonEqual(JsonNode? expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected?.ToJsonString()}, got {actual?.ToJsonString()}");

    [Fact]
    public async Task Receive_RecordsANewTask_AsReceivedWithItsRequest()
    {
        var (record, created) = await Tasks.ReceiveTaskAsync(4711, OsbuildImage, Request(), T0, CancellationToken.None);

        Assert.True(created);
        Assert.Equal(4711, record.TaskId);
        Assert.Equal(OsbuildImage, record.Method);
        Assert.Equal(KojiTaskStage.Received, record.Stage);
        AssertJsonEqual(Request(), record.Request);
        Assert.Null(record.ComposeId);
        Assert.Null(record.Data);
        Assert.Null(record.FaultCode);
        Assert.Null(record.FaultString);
        Assert.Equal(T0, record.CreatedAt);
        Assert.Equal(T0, record.UpdatedAt);
        Assert.Null(record.FinishedAt);
        AssertSameRecord(record, await GetAsync(4711));
        AssertSameRecord(record, await GetAsync(4711, await OpenStoreAsync()));
    }

    [Fact]
    public async Task Receive_KeepsARequestNotReadYet_AsNull()
    {
        var (record, created) = await Tasks.ReceiveTaskAsync(4712, "tagBuild", null, T0, CancellationToken.None);

        Assert.True(created);
        Assert.Null((await GetAsync(4712)).Request);
        Assert.Equal("tagBuild", record.Method);
    }

    [Fact]
    public async Task Get_ReturnsNull_ForATaskNeverReceived()
    {
        await ReceiveAsync(1);

        Assert.Null(await Tasks.GetTaskAsync(2, CancellationToken.None));
        Assert.NotNull(await Tasks.GetTaskAsync(1, CancellationToken.None));
    }

    [Fact]
    public async Task Receive_ReturnsTheStoredRecordUnchanged_WhenTheTaskComesAgain()
    {
        await ReceiveAsync(4711);
        var composeId = Guid.NewGuid();
        var composing = await UpdateAsync(4711, KojiTaskStage.Composing, T0.AddMinutes(1), composeId, Data());

        var (again, created) = await Tasks.ReceiveTaskAsync(4711, OsbuildImage, Request(release: "7"), T0.AddHours(1), CancellationToken.None);

        Assert.False(created);
        AssertSameRecord(composing, again);
        Assert.Equal(KojiTaskStage.Composing, again.Stage);
        Assert.Equal("1", again.Request![6]!["release"]!.GetValue<string>());
        AssertSameRecord(composing, await GetAsync(4711));
    }

    [Fact]
    public async Task Receive_RecordsATaskOnce_WhenItIsReceivedConcurrently()
    {
        var other = await OpenStoreAsync();
        long[] ids = [501, 502, 503, 504];

        var results = await Task.WhenAll(ids.SelectMany(id => Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            (i % 2 == 0 ? Tasks : other).ReceiveTaskAsync(id, OsbuildImage, Request(), T0.AddSeconds(i), CancellationToken.None)))));

        foreach (var id in ids)
        {
            var forId = results.Where(r => r.Record.TaskId == id).ToList();
            Assert.Equal(8, forId.Count);
            Assert.Single(forId, r => r.Created);
            var stored = await GetAsync(id);
            Assert.Equal(KojiTaskStage.Received, stored.Stage);
            Assert.All(forId, r => AssertSameRecord(stored, r.Record));
        }

        Assert.Equal(ids, (await Tasks.ListUnfinishedTasksAsync(CancellationToken.None)).Select(r => r.TaskId).Order());
    }

    [Fact]
    public async Task Receive_TakesAReleasedTaskBack_KeepingItsComposeAndData()
    {
        await ReceiveAsync(4711);
        var composeId = Guid.NewGuid();
        await UpdateAsync(4711, KojiTaskStage.Composing, T0.AddMinutes(1), composeId, Data());
        var released = await UpdateAsync(4711, KojiTaskStage.Released, T0.AddMinutes(2));
        Assert.Equal(T0.AddMinutes(2), released.FinishedAt);

        var (again, created) = await Tasks.ReceiveTaskAsync(4711, OsbuildImage, Request(), T0.AddMinutes(3), CancellationToken.None);

        Assert.False(created);
        Assert.Equal(KojiTaskStage.Received, again.Stage);
        Assert.Equal(composeId, again.ComposeId);
        AssertJsonEqual(Data(), again.Data);
        AssertJsonEqual(Request(), again.Request);
        Assert.Equal(T0, again.CreatedAt);
        Assert.Equal(T0.AddMinutes(3), again.UpdatedAt);
        Assert.Null(again.FinishedAt);
        AssertSameRecord(again, await GetAsync(4711));
        Assert.Equal([4711], (await Tasks.ListUnfinishedTasksAsync(CancellationToken.None)).Select(r => r.TaskId));
    }

    [Fact]
    public async Task Receive_TakesAReleasedTaskBackOnce_WhenItIsReceivedConcurrently()
    {
        await ReceiveAsync(4711);
        await UpdateAsync(4711, KojiTaskStage.Released, T0.AddMinutes(1));
        var other = await OpenStoreAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() =>
            (i % 2 == 0 ? Tasks : other).ReceiveTaskAsync(4711, OsbuildImage, Request(), T0.AddMinutes(2), CancellationToken.None))));

        Assert.All(results, r => Assert.False(r.Created));
        var stored = await GetAsync(4711);
        Assert.Equal(KojiTaskStage.Received, stored.Stage);
        Assert.All(results, r => AssertSameRecord(stored, r.Record));
    }

    [Fact]
    public async Task Receive_RefusesATaskWithoutIdOrMethod()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Tasks.ReceiveTaskAsync(0, OsbuildImage, null, T0, CancellationToken.None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Tasks.ReceiveTaskAsync(5, "", null, T0, CancellationToken.None));

        Assert.Empty(await Tasks.ListUnfinishedTasksAsync(CancellationToken.None));
        Assert.Null(await Tasks.GetTaskAsync(5, CancellationToken.None));
    }

    [Fact]
    public async Task Update_MovesTheStage_AndKeepsStoredValues_ForNullArguments()
    {
        await ReceiveAsync(4711);
        var composeId = Guid.NewGuid();
        await UpdateAsync(4711, KojiTaskStage.Open, T0.AddSeconds(5));
        await UpdateAsync(4711, KojiTaskStage.Composing, T0.AddMinutes(1), composeId, Data());

        var finishing = await UpdateAsync(4711, KojiTaskStage.Finishing, T0.AddMinutes(30), faultCode: 1000, faultString: "image build failed");
        var stillFinishing = await UpdateAsync(4711, KojiTaskStage.Finishing, T0.AddMinutes(31));

        Assert.Equal(KojiTaskStage.Finishing, finishing.Stage);
        Assert.Equal(composeId, finishing.ComposeId);
        AssertJsonEqual(Data(), finishing.Data);
        Assert.Equal(1000, finishing.FaultCode);
        Assert.Equal("image build failed", finishing.FaultString);
        AssertJsonEqual(Request(), finishing.Request);
        Assert.Equal(OsbuildImage, finishing.Method);
        Assert.Equal(T0, finishing.CreatedAt);
        Assert.Equal(T0.AddMinutes(30), finishing.UpdatedAt);
        Assert.Null(finishing.FinishedAt);
        Assert.Equal(T0.AddMinutes(31), stillFinishing.UpdatedAt);
        Assert.Equal(1000, stillFinishing.FaultCode);
        AssertSameRecord(stillFinishing, await GetAsync(4711, await OpenStoreAsync()));
    }

    [Fact]
    public async Task Update_ReplacesTheWholeData()
    {
        await ReceiveAsync(4711);
        await UpdateAsync(4711, KojiTaskStage.Open, T0.AddSeconds(1), data: Data());

        var replaced = await UpdateAsync(4711, KojiTaskStage.Open, T0.AddSeconds(2), data: new JsonObject { ["tag_task_id"] = 90002 });

        AssertJsonEqual(new JsonObject { ["tag_task_id"] = 90002 }, replaced.Data);
        AssertJsonEqual(new JsonObject { ["tag_task_id"] = 90002 }, (await GetAsync(4711)).Data);
    }

    [Theory]
    [InlineData(KojiTaskStage.Closed)]
    [InlineData(KojiTaskStage.Failed)]
    [InlineData(KojiTaskStage.Canceled)]
    [InlineData(KojiTaskStage.Released)]
    public async Task Update_SetsTheFinishedTime_WhenTheStageIsFinal(KojiTaskStage stage)
    {
        await ReceiveAsync(4711);
        await UpdateAsync(4711, KojiTaskStage.Composing, T0.AddMinutes(1), Guid.NewGuid());

        var final = await UpdateAsync(4711, stage, T0.AddMinutes(40));

        Assert.Equal(stage, final.Stage);
        Assert.Equal(T0.AddMinutes(40), final.FinishedAt);
        Assert.Equal(T0.AddMinutes(40), final.UpdatedAt);
        AssertSameRecord(final, await GetAsync(4711));
        Assert.Empty(await Tasks.ListUnfinishedTasksAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Update_ChangesNothing_OnceTheRecordIsFinal()
    {
        await ReceiveAsync(4711);
        var failed = await UpdateAsync(4711, KojiTaskStage.Failed, T0.AddMinutes(5), Guid.NewGuid(), Data(), 1000, "osbuild failed");

        var late = await UpdateAsync(4711, KojiTaskStage.Closed, T0.AddMinutes(6), Guid.NewGuid(), new JsonObject(), 1, "late");
        var reopened = await UpdateAsync(4711, KojiTaskStage.Composing, T0.AddMinutes(7));

        AssertSameRecord(failed, late);
        AssertSameRecord(failed, reopened);
        AssertSameRecord(failed, await GetAsync(4711));
        Assert.Equal(KojiTaskStage.Failed, failed.Stage);
        Assert.Equal(1000, failed.FaultCode);
        Assert.Equal("osbuild failed", failed.FaultString);
    }

    [Fact]
    public async Task Update_EndsTheTaskOnce_WhenTwoWritersFinishItConcurrently()
    {
        await ReceiveAsync(4711);
        await UpdateAsync(4711, KojiTaskStage.Finishing, T0.AddMinutes(1));
        var other = await OpenStoreAsync();

        var results = await Task.WhenAll(
            Task.Run(() => Tasks.UpdateTaskAsync(4711, KojiTaskStage.Closed, null, null, null, null, T0.AddMinutes(2), CancellationToken.None)),
            Task.Run(() => other.UpdateTaskAsync(4711, KojiTaskStage.Canceled, null, null, null, null, T0.AddMinutes(3), CancellationToken.None)));

        var stored = await GetAsync(4711);
        Assert.Contains(stored.Stage, new[] { KojiTaskStage.Closed, KojiTaskStage.Canceled });
        Assert.All(results, r => AssertSameRecord(stored, r));
    }

    [Fact]
    public async Task Update_FailsNamingTheTask_WhenItWasNeverReceived()
    {
        await ReceiveAsync(4711);

        var error = await Assert.ThrowsAsync<KeyNotFoundException>(() => UpdateAsync(4712, KojiTaskStage.Open, T0.AddSeconds(1)));

        Assert.Contains("4712", error.Message, StringComparison.Ordinal);
        Assert.Null(await Tasks.GetTaskAsync(4712, CancellationToken.None));
    }

    [Fact]
    public async Task ListUnfinished_ReturnsTheTasksNotInAFinalStage_OldestFirst()
    {
        await ReceiveAsync(30, T0.AddMinutes(3));
        await ReceiveAsync(10, T0.AddMinutes(1));
        await ReceiveAsync(20, T0.AddMinutes(2));
        await ReceiveAsync(5, T0.AddMinutes(5));
        await ReceiveAsync(40, T0);
        await ReceiveAsync(50, T0.AddMinutes(4), method: "tagBuild");
        await UpdateAsync(20, KojiTaskStage.Composing, T0.AddMinutes(10), Guid.NewGuid());
        await UpdateAsync(10, KojiTaskStage.Closed, T0.AddMinutes(11));
        await UpdateAsync(40, KojiTaskStage.Released, T0.AddMinutes(12));
        await UpdateAsync(5, KojiTaskStage.Finishing, T0.AddMinutes(13));
        await UpdateAsync(50, KojiTaskStage.Failed, T0.AddMinutes(14), faultCode: 1, faultString: "tag refused");

        var unfinished = await (await OpenStoreAsync()).ListUnfinishedTasksAsync(CancellationToken.None);

        Assert.Equal([20L, 30L, 5L], unfinished.Select(r => r.TaskId));
        Assert.Equal([KojiTaskStage.Composing, KojiTaskStage.Received, KojiTaskStage.Finishing], unfinished.Select(r => r.Stage));
        AssertSameRecord(await GetAsync(20), unfinished[0]);
    }
}
