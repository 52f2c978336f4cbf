using System.Collections.Concurrent;
using KojiComposer.Scheduler.Koji;
using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.TestHost;

/// <summary>
/// The Koji side of engine tests: hands out build ids, and records every reserve, import and refund so tests can
/// check that each reservation was imported or refunded exactly once.
/// </summary>
public sealed class RecordingKojiSteps : IComposeKojiSteps
{
    private long _nextBuildId;

    public RecordingKojiSteps(long firstBuildId = 1000)
    {
        _nextBuildId = firstBuildId - 1;
    }

    public ConcurrentQueue<Guid> Reserves { get; } = new();

    public ConcurrentQueue<(Guid Compose, long BuildId)> Imports { get; } = new();

    public ConcurrentQueue<(Guid Compose, long BuildId, bool Canceled)> Refunds { get; } = new();

    /// <summary>Runs before each reservation; throw from it to fail the reservation.</summary>
    public Func<Compose, CancellationToken, Task> BeforeReserve { get; set; } = (_, _) => Task.CompletedTask;

    /// <summary>Runs before each import; throw from it to fail the import.</summary>
    public Func<Compose, CancellationToken, Task> BeforeImport { get; set; } = (_, _) => Task.CompletedTask;

    public async Task<Reservation?> ReserveAsync(Compose compose, CancellationToken cancellationToken)
    {
        await BeforeReserve(compose, cancellationToken);
        Reserves.Enqueue(compose.Id);
        return new Reservation(Interlocked.Increment(ref _nextBuildId), $"token-{compose.Id:N}");
    }

    public async Task<string?> ImportAsync(Compose compose, CancellationToken cancellationToken)
    {
        await BeforeImport(compose, cancellationToken);
        Imports.Enqueue((compose.Id, compose.Reservation!.BuildId));
        return "{\"koji_error\":\"\"}";
    }

    /// <summary>Runs after a refund is recorded; may throw to make the refund fail.</summary>
    public Func<Compose, Task> AfterRefund { get; set; } = _ => Task.CompletedTask;

    public async Task RefundAsync(Compose compose, bool canceled, CancellationToken cancellationToken)
    {
        Refunds.Enqueue((compose.Id, compose.Reservation!.BuildId, canceled));
        await AfterRefund(compose);
    }
}
