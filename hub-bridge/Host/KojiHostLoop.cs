using Microsoft.Extensions.Logging;

namespace KojiComposer.HubBridge.Host;

/// <summary>
/// The builder host (koji-wire.md §9): logs in as the host principal with an exclusive session, keeps
/// <c>host.updateHost</c> going on its own subsession, polls <c>host.getTasks</c>, refuses the methods it has no
/// handler for, records (<see cref="IKojiTaskJournal.ReceivedAsync"/>), opens and weighs every other assigned task,
/// runs it with its <see cref="IKojiTaskHandler"/>, watches our open tasks for cancellation, and reports each
/// outcome. At start-up it reconciles the journal with the hub: tasks still OPEN for us are resumed.
/// </summary>
public sealed class KojiHostLoop
{
    private readonly KojiHostLoopOptions _options;
    private readonly IKojiTaskJournal _journal;
    private readonly IReadOnlyDictionary<string, IKojiTaskHandler> _handlers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public KojiHostLoop(KojiHostLoopOptions options, IKojiTaskJournal journal, IEnumerable<IKojiTaskHandler> handlers, ILogger logger, TimeProvider? time = null)
    {
        _options = options;
        _journal = journal;
        _handlers = handlers.ToDictionary(h => h.Method, StringComparer.Ordinal);
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The methods we handle, as sent with <c>host.updateHost</c>.</summary>
    public IReadOnlyList<string> Methods => [.. _handlers.Keys.Order(StringComparer.Ordinal)];

    /// <summary>What the loop is doing now.</summary>
    public KojiHostStatus Status { get; private set; } = new(false, null, null, [], null);

    /// <summary>Runs until <paramref name="stopping"/>; errors are logged and retried, never thrown. On stop: running
    /// handlers are stopped and their tasks left OPEN (resumed at the next start), <c>host.updateHost(0, false)</c>,
    /// logout.</summary>
    public Task RunAsync(CancellationToken stopping) => throw new NotImplementedException();
}
