using KojiComposer.HubBridge.Faults;

namespace KojiComposer.Scheduler.Koji.Intake;

public sealed partial record OsbuildImagePlan
{
    /// <summary>
    /// A hub read of steps 1-5: a fault the hub raised about the task's data (1000 <c>No such build target</c>, 1005
    /// <c>Unable to increment release value</c>) fails the task with the hub's code and text, as the stock builder
    /// lets it propagate. Transient trouble (ServerOffline, LockError, the network) and session faults are not the
    /// task's: they leave unchanged, to be retried.
    /// </summary>
    private static async Task<T> PassFaults<T>(Task<T> call)
    {
        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (KojiFaultException fault) when (!fault.IsTransient && fault is not KojiAuthErrorFault)
        {
            throw new KojiTaskFailure(fault.FaultCode, fault.FaultString);
        }
    }
}
