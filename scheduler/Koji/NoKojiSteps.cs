using KojiComposer.Contracts.Errors;
using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Koji;

/// <summary>
/// The Koji steps of a process that has no Koji import wired in: composes that make no Koji build (no
/// <see cref="Compose.KojiServer"/>) pass through; a compose that asks for a Koji build fails its reservation with a
/// clear error instead of pretending.
/// </summary>
internal sealed class NoKojiSteps : IComposeKojiSteps
{
    public Task<Reservation?> ReserveAsync(Compose compose, CancellationToken cancellationToken)
    {
        if (compose.KojiServer is null)
        {
            return Task.FromResult<Reservation?>(null);
        }

        throw new ComposeStepException(new JobError(JobErrorCodes.InvalidTargetConfig,
            $"this service has no Koji content-generator import configured, so it cannot reserve a build on {compose.KojiServer}"));
    }

    public Task<string?> ImportAsync(Compose compose, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public Task RefundAsync(Compose compose, bool canceled, CancellationToken cancellationToken) => Task.CompletedTask;
}
