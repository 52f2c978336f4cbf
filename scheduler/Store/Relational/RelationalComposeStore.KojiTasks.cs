using System.Text.Json.Nodes;
using KojiComposer.Scheduler.Koji.Tasks;
using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Store.Relational;

/// <summary>The Koji task records (table <c>koji_task</c>) and the NVR lookup.</summary>
internal abstract partial class RelationalComposeStore : IKojiTaskStore
{
    public Task<IReadOnlyList<Compose>> FindByNvrAsync(string name, string version, string release, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<(KojiTaskRecord Record, bool Created)> ReceiveTaskAsync(long taskId, string method, JsonArray? request, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<KojiTaskRecord?> GetTaskAsync(long taskId, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<KojiTaskRecord> UpdateTaskAsync(long taskId, KojiTaskStage stage, Guid? composeId, JsonObject? data, int? faultCode, string? faultString, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<IReadOnlyList<KojiTaskRecord>> ListUnfinishedTasksAsync(CancellationToken cancellationToken) => throw new NotImplementedException();
}
