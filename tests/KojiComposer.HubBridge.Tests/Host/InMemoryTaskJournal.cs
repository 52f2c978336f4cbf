using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Host;

namespace KojiComposer.HubBridge.Tests.Host;

/// <summary>
/// A task journal in memory that outlives the loops of a test (as the scheduler's store outlives a restart), and
/// records every step in order. <see cref="OnStep"/> lets a test look at the hub at the moment of a step.
/// </summary>
internal sealed class InMemoryTaskJournal : IKojiTaskJournal
{
    private readonly Lock _sync = new();
    private readonly Dictionary<long, Entry> _entries = [];
    private readonly List<(string Step, long TaskId)> _steps = [];

    /// <summary>Called at the start of each step (name, task id), before it changes anything.</summary>
    public Action<string, long>? OnStep { get; set; }

    /// <summary>When it returns true for a task, <see cref="ReceivedAsync"/> throws (a store that is down).</summary>
    public Func<long, bool> FailReceived { get; set; } = _ => false;

    /// <summary>While true, <see cref="UnfinishedAsync"/> throws.</summary>
    public bool FailUnfinished { get; set; }

    public IReadOnlyList<(string Step, long TaskId)> Steps
    {
        get
        {
            lock (_sync)
            {
                return [.. _steps];
            }
        }
    }

    public Entry? this[long taskId]
    {
        get
        {
            lock (_sync)
            {
                return _entries.GetValueOrDefault(taskId);
            }
        }
    }

    public Task ReceivedAsync(KojiTaskInfo task, CancellationToken cancellationToken)
    {
        Step("received", task.Id);
        if (FailReceived(task.Id))
        {
            throw new IOException($"journal store is down (task {task.Id})");
        }

        lock (_sync)
        {
            _entries.TryAdd(task.Id, new Entry(task));
        }

        return Task.CompletedTask;
    }

    public Task OpenedAsync(long taskId, CancellationToken cancellationToken)
    {
        Step("opened", taskId);
        lock (_sync)
        {
            Known(taskId).Opened = true;
        }

        return Task.CompletedTask;
    }

    public Task FinishedAsync(long taskId, KojiTaskOutcome outcome, CancellationToken cancellationToken)
    {
        Step("finished", taskId);
        lock (_sync)
        {
            Known(taskId).Outcome ??= outcome;
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<long>> UnfinishedAsync(CancellationToken cancellationToken)
    {
        if (FailUnfinished)
        {
            throw new IOException("journal store is down");
        }

        lock (_sync)
        {
            return Task.FromResult<IReadOnlyList<long>>([.. _entries.Values.Where(e => e.Outcome is null).Select(e => e.Task.Id).Order()]);
        }
    }

    private Entry Known(long taskId) =>
        _entries.GetValueOrDefault(taskId) ?? throw new InvalidOperationException($"the journal has no task {taskId}");

    private void Step(string step, long taskId)
    {
        OnStep?.Invoke(step, taskId);
        lock (_sync)
        {
            _steps.Add((step, taskId));
        }
    }

    /// <summary>One task as the journal has it.</summary>
    public sealed class Entry(KojiTaskInfo task)
    {
        public KojiTaskInfo Task { get; } = task;

        public bool Opened { get; set; }

        public KojiTaskOutcome? Outcome { get; set; }
    }
}
