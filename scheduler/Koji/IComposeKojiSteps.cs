using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Koji;

/// <summary>
/// The Koji side of a compose's first and last steps: reserve the build (CGInitBuild), import it (CGImport), or
/// refund the reservation (CGRefundBuild). The scheduler decides when; an implementation only talks to Koji.
/// Every method may be called again for the same compose after a crash, so each must check Koji's state first
/// (cg-import.md §5) instead of assuming it runs for the first time.
/// </summary>
public interface IComposeKojiSteps
{
    /// <summary>Reserves the compose's build; null when the compose makes no Koji build
    /// (<see cref="Compose.KojiServer"/> is null).</summary>
    /// <exception cref="Contracts.Errors.ComposeStepException">The reservation failed (code 15, or 2 for a hub we
    /// have no credentials for); <c>IsTransient</c> says whether to retry.</exception>
    Task<Reservation?> ReserveAsync(Compose compose, CancellationToken cancellationToken);

    /// <summary>Imports the compose's images into its reserved build; returns the import result (JSON text) for
    /// <c>/logs</c>, or null.</summary>
    /// <exception cref="Contracts.Errors.ComposeStepException">The import failed (code 16).</exception>
    Task<string?> ImportAsync(Compose compose, CancellationToken cancellationToken);

    /// <summary>Refunds the compose's reservation as failed, or as canceled when <paramref name="canceled"/>.</summary>
    Task RefundAsync(Compose compose, bool canceled, CancellationToken cancellationToken);
}
