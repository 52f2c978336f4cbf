using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KojiComposer.HubBridge.Host;

/// <summary>
/// The <c>tagBuild</c> subtask our <c>osbuildImage</c> tasks create, run as kojid's <c>TagBuildTask</c> does
/// (osbuildimage-task.md §8, koji-wire.md §9.6): args <c>tag_id, build_id, force=False, fromtag=None,
/// ignore_success=False</c>; <c>getTaskInfo</c> for the owner, <c>getBuild(strict)</c>, <c>getTag(strict)</c>,
/// <c>host.tagBuild</c>, <c>host.tagNotification</c>; result null. A failure is notified
/// (<c>host.tagNotification(false, …, "&lt;type&gt;: &lt;text&gt;")</c>) and fails the task with the hub's fault.
/// </summary>
/// <remarks>
/// Errors that are the host's rather than the task's (hub unreachable or offline, session refused, a reply that is
/// not XML-RPC) are waited out with backoff, not failures. When the task was
/// resumed after a restart, or a try broke off, the build may be in the tag already (an earlier
/// <c>host.tagBuild</c> went through): then it is not tagged again (which the hub refuses with <c>already
/// tagged</c>) but notified and closed.
/// </remarks>
public sealed class TagBuildTaskHandler : IKojiTaskHandler
{
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>A handler that logs to <paramref name="logger"/> and waits on <paramref name="time"/>.</summary>
    public TagBuildTaskHandler(ILogger? logger = null, TimeProvider? time = null)
    {
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public string Method => "tagBuild";

    /// <summary>kojid's weight for a tagBuild task.</summary>
    public double Weight => 0.1;

    /// <summary>The first wait after a transient hub error; it doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between tries.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(2);

    /// <inheritdoc/>
    public async Task<KojiTaskOutcome> RunAsync(KojiTaskContext context, CancellationToken shutdown)
    {
        if (!TagBuildArguments.TryParse(context.Task.Request, out var args, out var problem))
        {
            return new KojiTaskOutcome.Failed(KojiFaults.ParameterError, $"tagBuild task {context.TaskId}: {problem}");
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(shutdown, context.Stopped);
        var delay = RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TagAsync(context, args, checkFirst: context.Resumed || attempt > 1, stop.Token).ConfigureAwait(false);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return Stopped(context);
            }
            catch (KojiException e) when (IsHostSide(e))
            {
                Log.TagBuildRetrying(_logger, context.Session.HubUrl.AbsoluteUri, context.TaskId, "tagging", (long)delay.TotalMilliseconds, e.Message);
                try
                {
                    await Task.Delay(delay, _time, stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return Stopped(context);
                }

                delay = delay + delay < MaxRetryDelay ? delay + delay : MaxRetryDelay;
            }
        }
    }

    private async Task<KojiTaskOutcome> TagAsync(KojiTaskContext context, TagBuildArguments args, bool checkFirst, CancellationToken cancellationToken)
    {
        var session = context.Session;
        var owner = context.Task.Owner;
        try
        {
            owner = (await session.GetTaskInfoAsync(context.TaskId, request: false, cancellationToken).ConfigureAwait(false))?.Owner
                ?? throw new KojiGenericErrorFault($"No such task: {context.TaskId}");
            var build = (await session.GetBuildAsync(args.BuildId, strict: true, cancellationToken).ConfigureAwait(false))!;
            var tag = (await session.GetTagAsync(args.TagId, strict: true, cancellationToken).ConfigureAwait(false))!;
            if (checkFirst && (await session.ListTagsOfBuildAsync(build.Id, cancellationToken).ConfigureAwait(false)).Any(t => t.Id == tag.Id))
            {
                Log.TagBuildAlreadyTagged(_logger, session.HubUrl.AbsoluteUri, context.TaskId, build.Id, tag.Id);
            }
            else
            {
                await session.HostTagBuildAsync(context.TaskId, tag.Id, build.Id, args.Force, args.FromTag, cancellationToken).ConfigureAwait(false);
            }

            await session.TagNotificationAsync(true, args.TagId, args.FromTag, args.BuildId, owner, args.IgnoreSuccess, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new KojiTaskOutcome.Closed(null);
        }
        catch (KojiFaultException fault) when (!IsHostSide(fault))
        {
            if (context.Stopped.IsCancellationRequested)
            {
                return Stopped(context); // e.g. "host N does not own task M": canceled meanwhile
            }

            if (fault is KojiActionNotAllowedFault && await NoLongerOursAsync(context, cancellationToken).ConfigureAwait(false) is { } gone)
            {
                return gone; // canceled or taken from us before the loop's watch saw it
            }

            await NotifyFailureAsync(context, args, owner, $"{fault.FaultName}: {fault.FaultString}", cancellationToken).ConfigureAwait(false);
            return new KojiTaskOutcome.Failed(fault.FaultCode, fault.FaultString);
        }
    }

    /// <summary>
    /// Errors that are the host's, not the task's, and are waited out: the hub unreachable or offline, our session
    /// refused (the session re-establishes itself), a reply that was not XML-RPC. Every other fault is the tagging's
    /// own answer (TagError, ActionNotAllowed, No such build) and fails the task.
    /// </summary>
    private static bool IsHostSide(KojiException error) =>
        error.IsTransient || error is KojiAuthErrorFault || error is Transport.KojiProtocolException;

    /// <summary>After a refusal: the outcome when the task is no longer OPEN for us, else null.</summary>
    private static async Task<KojiTaskOutcome?> NoLongerOursAsync(KojiTaskContext context, CancellationToken cancellationToken)
    {
        var info = await context.Session.GetTaskInfoAsync(context.TaskId, request: false, cancellationToken).ConfigureAwait(false);
        return info switch
        {
            { State: KojiTaskState.Canceled } => new KojiTaskOutcome.Canceled(),
            { State: KojiTaskState.Open } when info.HostId == context.HostId => null,
            _ => new KojiTaskOutcome.Abandoned("no longer ours"),
        };
    }

    private async Task NotifyFailureAsync(KojiTaskContext context, TagBuildArguments args, long owner, string message, CancellationToken cancellationToken)
    {
        try
        {
            await context.Session.TagNotificationAsync(false, args.TagId, args.FromTag, args.BuildId, owner, args.IgnoreSuccess, message, cancellationToken).ConfigureAwait(false);
        }
        catch (KojiException e)
        {
            // The task still fails with the tagging's own fault; the notification is a courtesy.
            Log.TagBuildNotificationFailed(_logger, context.Session.HubUrl.AbsoluteUri, context.TaskId, e.Message);
        }
    }

    private static KojiTaskOutcome Stopped(KojiTaskContext context) => context.StopReason switch
    {
        KojiTaskStopReason.Canceled => new KojiTaskOutcome.Canceled(),
        KojiTaskStopReason.Lost => new KojiTaskOutcome.Abandoned("no longer ours"),
        _ => new KojiTaskOutcome.Abandoned("the host is shutting down"),
    };
}

/// <summary>
/// The tagBuild task's parameters as the hub stores them: <c>tag_id, build_id, force=False, fromtag=None,
/// ignore_success=False</c>, positional or (any of them) in a trailing keyword struct.
/// </summary>
internal sealed record TagBuildArguments(long TagId, long BuildId, bool Force, long? FromTag, bool IgnoreSuccess)
{
    private static readonly string[] Names = ["tag_id", "build_id", "force", "fromtag", "ignore_success"];

    public static bool TryParse(object?[]? request, out TagBuildArguments arguments, out string problem)
    {
        arguments = null!;
        if (request is null)
        {
            problem = "the task has no request parameters";
            return false;
        }

        var (positional, keywords) = XmlRpc.KojiArguments.Split(request);
        if (positional.Length > Names.Length)
        {
            problem = $"tagBuild takes at most {Names.Length} parameters ({string.Join(", ", Names)}), the task has {positional.Length}";
            return false;
        }

        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < positional.Length; i++)
        {
            values[Names[i]] = positional[i];
        }

        foreach (var (name, value) in keywords ?? [])
        {
            if (!Names.Contains(name, StringComparer.Ordinal))
            {
                problem = $"tagBuild has no parameter {name}";
                return false;
            }

            if (!values.TryAdd(name, value))
            {
                problem = $"tagBuild parameter {name} is given twice";
                return false;
            }
        }

        if (!Id(values, "tag_id", required: true, out var tag, out problem) ||
            !Id(values, "build_id", required: true, out var build, out problem) ||
            !Id(values, "fromtag", required: false, out var from, out problem))
        {
            return false;
        }

        arguments = new TagBuildArguments(tag!.Value, build!.Value, Truth(values, "force"), from, Truth(values, "ignore_success"));
        problem = string.Empty;
        return true;
    }

    private static bool Id(Dictionary<string, object?> values, string name, bool required, out long? id, out string problem)
    {
        problem = string.Empty;
        id = null;
        switch (values.GetValueOrDefault(name))
        {
            case int i:
                id = i;
                return true;
            case long l:
                id = l;
                return true;
            case null when !required:
                return true;
            case null:
                problem = $"tagBuild parameter {name} is missing";
                return false;
            case var other:
                problem = $"tagBuild parameter {name} must be an id (an integer), not {other}";
                return false;
        }
    }

    /// <summary>Python truth, as the hub would read the flag.</summary>
    private static bool Truth(Dictionary<string, object?> values, string name) => values.GetValueOrDefault(name) switch
    {
        null => false,
        bool b => b,
        int i => i != 0,
        long l => l != 0,
        string s => s.Length > 0,
        _ => true,
    };
}
