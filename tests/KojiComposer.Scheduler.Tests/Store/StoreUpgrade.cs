using System.Data.Common;
using KojiComposer.Scheduler.Koji.Tasks;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Store;

namespace KojiComposer.Scheduler.Tests.Store;

/// <summary>
/// A store of schema version 1 (before the Koji task records) with a compose in it, written with version 1's own
/// columns, and what an upgraded store must do with it. The stores' tests make the version-1 storage
/// (<c>MigrateAsync(1, …)</c>) and bind the values their database stores.
/// </summary>
internal static class StoreUpgrade
{
    public const long KojiTaskId = 6061;

    /// <summary>Inserts a pending compose with one pending image the way version 1 wrote it.</summary>
    /// <param name="connection">An open connection to the version-1 storage.</param>
    /// <param name="prefix">The tables' schema prefix (<c>"schema".</c> or empty).</param>
    /// <param name="id">The compose id as the database binds it.</param>
    /// <param name="created">The creation time as the database binds it.</param>
    public static async Task InsertComposeAsync(DbConnection connection, string prefix, object id, object created)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $$"""
            INSERT INTO {{prefix}}compose (id, name, version, release, nvr_lower, distribution, koji_task_id, koji_server,
                seed, state, cancel_requested, generation, remaining, finalize_claimed, row_version, init_state,
                init_attempts, init_lost_workers, finalize_state, finalize_attempts, finalize_lost_workers,
                created_at, updated_at)
            VALUES (@id, 'Fedora-Cloud', '42', '1', 'fedora-cloud-42-1', 'fedora-42', {{KojiTaskId}},
                'https://koji.example/kojihub', 7, 'pending', FALSE, 0, 1, FALSE, 0, 'pending', 0, 0, 'pending', 0, 0,
                @created, @created);
            INSERT INTO {{prefix}}compose_image (compose_id, idx, arch, image_type, image_request, state, uploads,
                counted, attempts, lost_workers)
            VALUES (@id, 0, 'x86_64', 'guest-image', '{"architecture": "x86_64"}', 'pending', '[]', FALSE, 0, 0);
            """;
        Add(command, "id", id);
        Add(command, "created", created);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Checks that <paramref name="store"/>, migrated over the version-1 storage, reads the old compose,
    /// works on it with the new columns and keeps Koji task records.</summary>
    public static async Task AssertUpgradedAsync(IComposeStore store, Guid id, DateTimeOffset created)
    {
        var old = await store.GetAsync(id, CancellationToken.None) ?? throw new InvalidOperationException($"compose {id} is gone after the upgrade");
        Assert.Equal("Fedora-Cloud-42-1", old.Nvr);
        Assert.False(old.ReleaseGenerated);
        Assert.Equal(created, old.CreatedAt);
        Assert.Equal(["x86_64"], old.Images.Select(i => i.Arch));
        Assert.Equal([id], (await store.FindByNvrAsync("Fedora-Cloud", "42", "1", CancellationToken.None)).Select(c => c.Id));

        var now = created.AddMinutes(1);
        Assert.True((await store.ClaimAsync(StepRef.Init(id), "scheduler", now, TimeSpan.FromMinutes(2), 2, CancellationToken.None)).HoldsLease);
        Assert.True((await store.CompleteInitAsync(id, "scheduler", new Reservation(77, "cg-token") { Release = "2" }, null, false, now, CancellationToken.None)).Accepted);
        Assert.Equal("Fedora-Cloud-42-2", (await store.GetAsync(id, CancellationToken.None))!.Nvr);

        var tasks = Assert.IsAssignableFrom<IKojiTaskStore>(store);
        var (record, isNew) = await tasks.ReceiveTaskAsync(KojiTaskId, "osbuildImage", null, now, CancellationToken.None);
        Assert.True(isNew);
        await tasks.UpdateTaskAsync(KojiTaskId, KojiTaskStage.Composing, id, null, null, null, now, CancellationToken.None);
        Assert.Equal(id, Assert.Single(await tasks.ListUnfinishedTasksAsync(CancellationToken.None)).ComposeId);
        Assert.Equal(KojiTaskStage.Received, record.Stage);
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
