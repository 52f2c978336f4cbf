using KojiComposer.Contracts.Errors;
using KojiComposer.HubBridge;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Koji;

public sealed partial class ContentGeneratorSteps
{
    /// <summary>
    /// CGRefundBuild(cg, build, token, 3 FAILED | 4 CANCELED). A build the hub already took out of BUILDING (a task
    /// cancel cancels its build, an operator's cancelBuild, an earlier refund whose reply was lost) needs no refund.
    /// Any other refusal is 16, the Koji finalize step's code (composer refunds in its koji-finalize job), with the
    /// hub's text; the finalize job logs it, since the compose already failed for a reason users must see.
    /// </summary>
    public async Task RefundAsync(Compose compose, bool canceled, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(compose);
        if (compose.KojiServer is null || compose.Reservation is not { } reservation)
        {
            return;
        }

        CheckHub(compose, "refund");
        var state = canceled ? KojiSession.RefundCanceled : KojiSession.RefundFailed;
        var stateName = canceled ? "CANCELED" : "FAILED";
        var session = await LogInAsync($"refund build {reservation.BuildId}", cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            try
            {
                await session.CGRefundBuildAsync(_contentGenerator, ForHub(reservation), state, cancellationToken).ConfigureAwait(false);
                Log.CgRefunded(_logger, compose.Id, reservation.BuildId, stateName);
            }
            catch (KojiFaultException fault) when (!fault.IsTransient && fault.FaultString.Contains("is not in BUILDING state", StringComparison.Ordinal))
            {
                Log.CgRefundNotNeeded(_logger, compose.Id, reservation.BuildId, await BuildStateAsync(session, reservation.BuildId, cancellationToken).ConfigureAwait(false), fault.FaultString);
            }
            catch (KojiException e) when (!e.IsTransient)
            {
                throw new ComposeStepException(new JobError(JobErrorCodes.KojiFinalize,
                    $"cannot refund build {reservation.BuildId} ({compose.Nvr}) on {HubUrl} as {stateName}: {HubText(e)}"), isTransient: false, e);
            }
        }
    }

    /// <summary>The build's state for the log; a failing read must not turn a refund that is done into an error.</summary>
    private static async Task<string> BuildStateAsync(KojiSession session, long buildId, CancellationToken cancellationToken)
    {
        try
        {
            return (await session.GetBuildAsync(buildId, strict: false, cancellationToken).ConfigureAwait(false))?.State.ToString().ToUpperInvariant() ?? "unknown";
        }
        catch (KojiException)
        {
            return "not BUILDING";
        }
    }
}
