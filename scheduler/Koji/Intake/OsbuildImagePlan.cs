using System.Text.Json.Nodes;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Koji.Intake;

/// <summary>
/// What an <c>osbuildImage</c> task becomes after the builder procedure's steps 1-7 (osbuildimage-task.md §4): the
/// compose request (composer's <c>POST /compose</c> shape, §5.3, uploaded as <c>compose-request.json</c>), the
/// destination tag and whether to tag.
/// </summary>
public sealed record OsbuildImagePlan
{
    /// <summary>The compose request document (§5.3).</summary>
    public required JsonObject ComposeRequest { get; init; }

    /// <summary>The target's destination tag id (for the tagBuild subtask).</summary>
    public required long DestTagId { get; init; }

    /// <summary>The target's destination tag name.</summary>
    public required string DestTagName { get; init; }

    /// <summary><c>opts.skip_tag</c>.</summary>
    public required bool SkipTag { get; init; }

    /// <summary>True when the release came from <c>getNextRelease</c>.</summary>
    public required bool ReleaseGenerated { get; init; }

    /// <summary>Things users should know that do not stop the task, e.g. an image type whose archives Pungi skips
    /// (osbuildimage-task.md §10).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>
    /// Steps 1-7 against the hub (<paramref name="hub"/>: the host session): target, tag arches (canonArch, same
    /// error texts), repositories (the user's, or <c>{topurl}/repos/{build tag}/{repo id}/$arch</c> of the build
    /// tag's current repo), <c>$arch</c> templating, release, image-type mapping, one image per arch.
    /// </summary>
    /// <exception cref="KojiTaskFailure">The task's own problem (unknown target, unsupported arch, bad placeholder,
    /// no repo, release not incrementable, ...).</exception>
    public static Task<OsbuildImagePlan> ResolveAsync(
        KojiCaller hub, long taskId, OsbuildImageArguments arguments, Uri topUrl, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>
    /// Step 9's validation: the compose to submit, through the same checks as the API's <c>POST /compose</c>.
    /// </summary>
    /// <exception cref="KojiTaskFailure">1000 <c>Failed to create the compose request: &lt;error JSON&gt;</c> with a
    /// Cloud-API style error object.</exception>
    public NewCompose ToNewCompose(string? submittedBy) => throw new NotImplementedException();
}
