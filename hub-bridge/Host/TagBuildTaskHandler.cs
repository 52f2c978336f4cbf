namespace KojiComposer.HubBridge.Host;

/// <summary>
/// The <c>tagBuild</c> subtask our <c>osbuildImage</c> tasks create, run as kojid's <c>TagBuildTask</c> does
/// (osbuildimage-task.md §8, koji-wire.md §9.6): args <c>tag_id, build_id, force=False, fromtag=None,
/// ignore_success=False</c>; <c>getTaskInfo</c> for the owner, <c>getBuild(strict)</c>, <c>getTag(strict)</c>,
/// <c>host.tagBuild</c>, <c>host.tagNotification</c>; result null. A failure is notified
/// (<c>host.tagNotification(false, …, "&lt;type&gt;: &lt;text&gt;")</c>) and fails the task with the hub's fault.
/// </summary>
public sealed class TagBuildTaskHandler : IKojiTaskHandler
{
    public string Method => "tagBuild";

    public double Weight => 0.1;

    public Task<KojiTaskOutcome> RunAsync(KojiTaskContext context, CancellationToken shutdown) => throw new NotImplementedException();
}
