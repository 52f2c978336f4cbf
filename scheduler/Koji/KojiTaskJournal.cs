using System.Text.Json.Nodes;
using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Host;
using KojiComposer.Scheduler.Koji.Tasks;

namespace KojiComposer.Scheduler.Koji;

/// <summary>The host loop's journal in the compose store's <c>koji_task</c> table.</summary>
internal sealed class KojiTaskJournal(IKojiTaskStore store, TimeProvider time) : IKojiTaskJournal
{
    public Task ReceivedAsync(KojiTaskInfo task, CancellationToken cancellationToken) =>
        store.ReceiveTaskAsync(task.Id, task.Method, RequestJson(task), time.GetUtcNow(), cancellationToken);

    /// <summary>The request as JSON for the record; null when it holds a value JSON cannot (base64, dateTime): the
    /// record is what matters, and the handler reads the request from the task itself.</summary>
    private static JsonArray? RequestJson(KojiTaskInfo task)
    {
        try
        {
            return task.Request is { } request ? Intake.XmlRpcJson.ToJson(request, "request") as JsonArray : null;
        }
        catch (Intake.KojiTaskFailure)
        {
            return null;
        }
    }

    public async Task OpenedAsync(long taskId, CancellationToken cancellationToken)
    {
        // A resumed task may be further along already: opening never moves a record back.
        if (await store.GetTaskAsync(taskId, cancellationToken) is { Stage: KojiTaskStage.Received })
        {
            await store.UpdateTaskAsync(taskId, KojiTaskStage.Open, null, null, null, null, time.GetUtcNow(), cancellationToken);
        }
    }

    public async Task FinishedAsync(long taskId, KojiTaskOutcome outcome, CancellationToken cancellationToken)
    {
        if (await store.GetTaskAsync(taskId, cancellationToken) is null)
        {
            return;
        }

        var (stage, code, text) = outcome switch
        {
            KojiTaskOutcome.Closed => (KojiTaskStage.Closed, (int?)null, (string?)null),
            KojiTaskOutcome.Failed failed => (KojiTaskStage.Failed, failed.FaultCode, failed.FaultString),
            KojiTaskOutcome.Canceled => (KojiTaskStage.Canceled, null, null),
            _ => (KojiTaskStage.Released, null, null),
        };
        await store.UpdateTaskAsync(taskId, stage, null, null, code, text, time.GetUtcNow(), cancellationToken);
    }

    public async Task<IReadOnlyList<long>> UnfinishedAsync(CancellationToken cancellationToken) =>
        [.. (await store.ListUnfinishedTasksAsync(cancellationToken)).Select(r => r.TaskId)];
}
