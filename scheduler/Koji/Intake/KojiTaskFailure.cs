namespace KojiComposer.Scheduler.Koji.Intake;

/// <summary>
/// The task's own problem: fails it with this Koji fault (osbuildimage-task.md §6.3), e.g. 1005 BuildError
/// <c>Unsupported architecture(s): {'riscv64'}</c>, or a hub fault passed through (1000 <c>No such build target:
/// nope</c>). Hub and network errors are not this: they are retried.
/// </summary>
public sealed class KojiTaskFailure(int faultCode, string faultString) : Exception(faultString)
{
    /// <summary>Koji's GenericError.</summary>
    public const int GenericError = 1000;

    /// <summary>Koji's BuildError.</summary>
    public const int BuildError = 1005;

    /// <summary>Koji's ParameterError.</summary>
    public const int ParameterError = 1019;

    /// <summary>True when the failure is "the build tag has no READY repository yet": the stock builder waits for
    /// one (kojid's waitrepo), so the handler asks again for a while before failing the task.</summary>
    public bool NoRepoYet { get; init; }

    /// <summary>The fault code.</summary>
    public int FaultCode { get; } = faultCode;

    /// <summary>The fault text.</summary>
    public string FaultString { get; } = faultString;
}
