using System.Collections.Concurrent;
using KojiComposer.HubBridge.Host;

namespace KojiComposer.HubBridge.Tests.Host;

/// <summary>
/// A task handler whose behaviour each test sets; it records every run (its context) and notices a second run of a
/// task that starts while one is still going.
/// </summary>
internal sealed class FakeTaskHandler(string method = "osbuildImage", double weight = 0.2) : IKojiTaskHandler
{
    private readonly ConcurrentQueue<KojiTaskContext> _runs = new();
    private readonly ConcurrentDictionary<long, int> _active = new();
    private int _overlaps;

    public string Method => method;

    public double Weight => weight;

    /// <summary>What a run does; the default closes the task with <c>{"done": taskId}</c>.</summary>
    public Func<KojiTaskContext, CancellationToken, Task<KojiTaskOutcome>> Behaviour { get; set; } =
        (context, _) => Task.FromResult<KojiTaskOutcome>(new KojiTaskOutcome.Closed(new HubBridge.XmlRpc.XmlRpcStruct { ["done"] = context.TaskId }));

    public IReadOnlyList<KojiTaskContext> Runs => [.. _runs];

    public IReadOnlyList<KojiTaskContext> RunsOf(long taskId) => [.. _runs.Where(r => r.TaskId == taskId)];

    /// <summary>How often a run started while another run of the same task was still going.</summary>
    public int Overlaps => Volatile.Read(ref _overlaps);

    public async Task<KojiTaskOutcome> RunAsync(KojiTaskContext context, CancellationToken shutdown)
    {
        if (_active.AddOrUpdate(context.TaskId, 1, (_, n) => n + 1) > 1)
        {
            Interlocked.Increment(ref _overlaps);
        }

        _runs.Enqueue(context);
        try
        {
            return await Behaviour(context, shutdown);
        }
        finally
        {
            _active.AddOrUpdate(context.TaskId, 0, (_, n) => n - 1);
        }
    }

    /// <summary>A run that waits until Koji stops the task or the host shuts down, and answers as a handler must.</summary>
    public static async Task<KojiTaskOutcome> UntilStoppedAsync(KojiTaskContext context, CancellationToken shutdown)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(context.Stopped, shutdown);
        try
        {
            await Task.Delay(Timeout.Infinite, either.Token);
        }
        catch (OperationCanceledException)
        {
        }

        return context.StopReason switch
        {
            KojiTaskStopReason.Canceled => new KojiTaskOutcome.Canceled(),
            KojiTaskStopReason.Lost => new KojiTaskOutcome.Abandoned("lost"),
            _ => new KojiTaskOutcome.Abandoned("shutdown"),
        };
    }
}
