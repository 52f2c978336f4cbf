using System.Globalization;
using System.Text.RegularExpressions;
using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubBridge.XmlRpc;
using static KojiComposer.Cli.Commands.BaseCommand;

namespace KojiComposer.Cli.Watch;

/// <summary>
/// The watched <c>osbuildImage</c> task on the hub, read anonymously: its state (getTaskInfo), and once it ended
/// what Koji says about it: a failed task's fault (getTaskResult re-raises it, osbuildimage-task.md §6.3), a closed
/// task's result naming the compose (§6.4). Those are read once.
/// </summary>
internal sealed partial class KojiTaskReader(KojiCaller hub, long taskId)
{
    private const string Method = "osbuildImage";

    private string? _fault;
    private Guid? _composeId;
    private bool _endRead;

    public long TaskId => taskId;

    /// <summary>The task's state, its fault and the compose its result or fault names.</summary>
    /// <exception cref="CliException">No such task (exit 9), or it is no osbuildImage task (exit 2).</exception>
    public async Task<(KojiTaskState State, string? Fault, Guid? ComposeId)> ReadAsync(CancellationToken cancellationToken)
    {
        var info = await hub.GetTaskInfoAsync(taskId, cancellationToken: cancellationToken).ConfigureAwait(false)
            ?? throw new CliException(ExitCodes.NotFound, $"koji hub {hub.HubUrl}: there is no task {taskId.ToString(CultureInfo.InvariantCulture)} (check the id: koji taskinfo {taskId.ToString(CultureInfo.InvariantCulture)})");
        if (!string.Equals(info.Method, Method, StringComparison.Ordinal))
        {
            throw new CliException(ExitCodes.Usage, $"koji task {taskId.ToString(CultureInfo.InvariantCulture)} is a {info.Method} task, not {Method}: follow it with koji watch-task {taskId.ToString(CultureInfo.InvariantCulture)}");
        }

        if (!_endRead && info.State is KojiTaskState.Closed or KojiTaskState.Failed)
        {
            await ReadEndAsync(info.State, cancellationToken).ConfigureAwait(false);
            _endRead = true;
        }

        return (info.State, _fault, _composeId);
    }

    private async Task ReadEndAsync(KojiTaskState state, CancellationToken cancellationToken)
    {
        try
        {
            var result = await hub.GetTaskResultAsync(taskId, cancellationToken).ConfigureAwait(false);
            if (result is XmlRpcStruct { } dict && dict.GetValueOrDefault("composer") is XmlRpcStruct composer
                && composer.GetValueOrDefault("id") is string id && Guid.TryParse(id, out var compose))
            {
                _composeId = compose;
            }
        }
        catch (KojiFaultException fault) when (state == KojiTaskState.Failed && fault is not KojiServerOfflineFault)
        {
            // koji watch-task prints "FAILED: BuildError: Compose failed (id: …)".
            _fault = $"{fault.FaultName}: {fault.FaultString.ReplaceLineEndings(" ")}";
            if (ComposeInFault().Match(fault.FaultString) is { Success: true } match && Guid.TryParse(match.Groups[1].Value, out var compose))
            {
                _composeId = compose;
            }
        }
    }

    /// <summary>Our fault text for a failed compose, osbuildimage-task.md §6.3.</summary>
    [GeneratedRegex(@"^Compose failed \(id: ([0-9a-fA-F-]{36})\)")]
    private static partial Regex ComposeInFault();
}
