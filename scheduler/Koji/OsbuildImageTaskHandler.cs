using System.Text;
using System.Text.Json.Nodes;
using KojiComposer.HubBridge;
using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Host;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.Scheduler.Engine;
using KojiComposer.Scheduler.Koji.Intake;
using KojiComposer.Scheduler.Koji.Tasks;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Retry;
using KojiComposer.Scheduler.Store;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Scheduler.Koji;

/// <summary>
/// Runs one <c>osbuildImage</c> task the way the stock builder plugin and osbuild-composer do together
/// (osbuildimage-task.md §4): resolve the request (<see cref="OsbuildImagePlan"/>), attach
/// <c>compose-request.json</c>, submit the compose (one per task: a restart finds it by task id), keep
/// <c>compose-status.json</c> current while it runs, attach manifests and logs when it ends, tag the build through a
/// <c>tagBuild</c> subtask, and return the result or the fault. Koji cancelling the task cancels the compose (its
/// images stop, the build is refunded as CANCELED). Hub and store errors are retried, never the task's failure.
/// </summary>
internal sealed class OsbuildImageTaskHandler(
    IComposeStore composes,
    IKojiTaskStore tasks,
    IComposeOperations operations,
    KojiIntakeSettings settings,
    ILogger<OsbuildImageTaskHandler> logger,
    TimeProvider time) : IKojiTaskHandler
{
    private const string DestTagIdKey = "dest_tag_id";
    private const string DestTagNameKey = "dest_tag_name";
    private const string SkipTagKey = "skip_tag";
    private const string TagTaskKey = "tag_task_id";

    public string Method => "osbuildImage";

    public double Weight => 0.2;

    public async Task<KojiTaskOutcome> RunAsync(KojiTaskContext context, CancellationToken shutdown)
    {
        var id = context.TaskId;
        var record = await RetryAsync(id, "read the task record", ct => tasks.GetTaskAsync(id, ct), shutdown)
            ?? throw new InvalidOperationException($"task {id} has no record: the host loop records every task before opening it");
        var compose = await RetryAsync(id, "look up the task's compose", ct => composes.FindByKojiTaskAsync(id, ct), shutdown);
        if (compose is null)
        {
            if (context.StopReason != KojiTaskStopReason.None)
            {
                return Stopped(context);
            }

            try
            {
                (compose, record) = await StartAsync(context, record, shutdown);
            }
            catch (KojiTaskFailure failure)
            {
                // The record becomes Failed, with the fault, when the hub accepted host.failTask (the journal's
                // FinishedAsync): written here too, it would claim a failure Koji may never record (a cancel first).
                Log.TaskRefused(logger, id, failure.FaultCode, failure.FaultString);
                return new KojiTaskOutcome.Failed(failure.FaultCode, failure.FaultString);
            }
            catch (OperationCanceledException) when (context.Stopped.IsCancellationRequested && !shutdown.IsCancellationRequested)
            {
                return Stopped(context);
            }
        }
        else if (record.Stage is KojiTaskStage.Received or KojiTaskStage.Open || record.ComposeId != compose.Id)
        {
            record = await RetryAsync(id, "record the compose", ct => tasks.UpdateTaskAsync(id, KojiTaskStage.Composing, compose.Id, null, null, null, time.GetUtcNow(), ct), shutdown);
            Log.TaskResumed(logger, id, compose.Id, compose.State.ToWire());
        }

        compose = await WatchAsync(context, compose, shutdown);
        if (context.StopReason == KojiTaskStopReason.Canceled)
        {
            // The hub set CANCELED: no more uploads or results are accepted; the compose was canceled and refunded.
            Log.TaskCanceled(logger, id, compose.Id);
            return new KojiTaskOutcome.Canceled();
        }

        if (context.StopReason == KojiTaskStopReason.Lost)
        {
            await CancelIfTakenElsewhereAsync(context, compose, shutdown);
            return Stopped(context);
        }

        record = await RetryAsync(id, "record the compose's end", ct => tasks.UpdateTaskAsync(id, KojiTaskStage.Finishing, null, null, null, null, time.GetUtcNow(), ct), shutdown);
        await AttachResultsAsync(context, compose, shutdown);
        if (compose.State != ComposeState.Success)
        {
            var text = compose.State == ComposeState.Canceled
                ? $"Compose failed (id: {compose.Id}): canceled on KojiComposer"
                : TaskDocuments.FailureMessage(compose);
            return new KojiTaskOutcome.Failed(KojiTaskFailure.BuildError, text);
        }

        var buildId = compose.Reservation?.BuildId
            ?? throw new InvalidOperationException($"compose {compose.Id} succeeded without a Koji build");
        if (!(record.Data?[SkipTagKey]?.GetValue<bool>() ?? false))
        {
            var tagged = await TagAsync(context, record, buildId, shutdown);
            if (tagged is not null)
            {
                return tagged;
            }
        }

        var result = new XmlRpcStruct
        {
            ["composer"] = new XmlRpcStruct { ["server"] = settings.PublicUrl.AbsoluteUri.TrimEnd('/'), ["id"] = compose.Id.ToString() },
            ["koji"] = new XmlRpcStruct { ["build"] = buildId },
        };
        Log.TaskSucceeded(logger, id, compose.Id, buildId);
        return new KojiTaskOutcome.Closed(result);
    }

    private static KojiTaskOutcome Stopped(KojiTaskContext context) => context.StopReason == KojiTaskStopReason.Canceled
        ? new KojiTaskOutcome.Canceled()
        : new KojiTaskOutcome.Abandoned("the task is no longer ours");

    /// <summary>
    /// The task stopped being ours (the hub freed it after we were silent, or an admin moved it). FREE, it will
    /// most likely come back to us and find this compose again, so the compose goes on; OPEN (or finished) on
    /// another host, that host builds the task, and our compose would only make a second build of it: it is
    /// canceled (its reservation refunded as CANCELED).
    /// </summary>
    private async Task CancelIfTakenElsewhereAsync(KojiTaskContext context, Compose compose, CancellationToken shutdown)
    {
        if (compose.State.IsFinal())
        {
            return;
        }

        var info = await RetryAsync(context.TaskId, "see who has the task", ct => context.Session.GetTaskInfoAsync(context.TaskId, request: false, ct), shutdown);
        if (info is { HostId: { } host } && host != context.HostId && info.State is not KojiTaskState.Free)
        {
            Log.TaskTakenElsewhere(logger, context.TaskId, host, compose.Id);
            await RetryAsync(context.TaskId, "cancel the compose", ct => operations.CancelAsync(compose.Id, ct), shutdown);
        }
    }

    /// <summary>Steps 1-9: resolve, attach the request, submit. The plan's facts the end needs are recorded before
    /// the compose exists, so a restart right after the submit still knows where to tag.</summary>
    private async Task<(Compose, KojiTaskRecord)> StartAsync(KojiTaskContext context, KojiTaskRecord record, CancellationToken shutdown)
    {
        var id = context.TaskId;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(shutdown, context.Stopped);
        var arguments = OsbuildImageArguments.Parse(context.Task.Request
            ?? throw new KojiTaskFailure(KojiTaskFailure.ParameterError, $"task {id} has no request parameters"));
        var plan = await ResolveWaitingForRepoAsync(context, arguments, stop.Token);
        foreach (var warning in plan.Warnings)
        {
            Log.TaskWarning(logger, id, warning);
        }

        await UploadAsync(context, TaskDocuments.ComposeRequestFile, TaskDocuments.ComposeRequestForTask(plan.ComposeRequest), required: true, stop.Token);
        // Who ran koji osbuild-image (or Pungi's user), for the pages; the task is still named if the lookup fails.
        var owner = await RetryAsync(id, "read the task owner", ct => context.Session.GetUserAsync(context.Task.Owner, ct), stop.Token);
        var compose = plan.ToNewCompose(submittedBy: owner?.Name ?? $"koji user {context.Task.Owner}");
        var data = new JsonObject { [DestTagIdKey] = plan.DestTagId, [DestTagNameKey] = plan.DestTagName, [SkipTagKey] = plan.SkipTag };
        await RetryAsync(id, "record the plan", ct => tasks.UpdateTaskAsync(id, KojiTaskStage.Open, null, data, null, null, time.GetUtcNow(), ct), shutdown);
        var (stored, created) = await RetryAsync(id, "submit the compose", ct => operations.SubmitAsync(compose, ct), shutdown);
        record = await RetryAsync(id, "record the compose", ct => tasks.UpdateTaskAsync(id, KojiTaskStage.Composing, stored.Id, null, null, null, time.GetUtcNow(), ct), shutdown);
        Log.TaskComposeCreated(logger, id, stored.Id, stored.Nvr, stored.Images.Count, created ? "created" : "found");
        return (stored, record);
    }

    /// <summary>Resolves the request; while the build tag has no READY repository (a new tag, or kojira still
    /// regenerating it), asks again every <see cref="KojiIntakeSettings.RepoPollInterval"/> for up to
    /// <see cref="KojiIntakeSettings.RepoWait"/>, as the stock builder's waitrepo subtask waits.</summary>
    private async Task<OsbuildImagePlan> ResolveWaitingForRepoAsync(KojiTaskContext context, OsbuildImageArguments arguments, CancellationToken cancellationToken)
    {
        var id = context.TaskId;
        var since = time.GetUtcNow();
        var waiting = false;
        while (true)
        {
            try
            {
                return await RetryAsync(id, "resolve the request", ct => OsbuildImagePlan.ResolveAsync(context.Session, id, arguments, settings.TopUrl, ct), cancellationToken);
            }
            catch (KojiTaskFailure failure) when (failure.NoRepoYet)
            {
                var waited = time.GetUtcNow() - since;
                if (waited >= settings.RepoWait)
                {
                    throw new KojiTaskFailure(failure.FaultCode, $"{failure.FaultString} (waited {Math.Round(waited.TotalMinutes)} minutes for one)");
                }

                if (!waiting)
                {
                    waiting = true;
                    Log.TaskWaitingForRepo(logger, id, failure.FaultString, settings.RepoWait.TotalMinutes);
                }

                await Task.Delay(settings.RepoPollInterval, time, cancellationToken);
            }
        }
    }

    /// <summary>Follows the compose until it is final, uploading compose-status.json whenever it changed; cancels
    /// the compose when Koji canceled the task (and then waits for it to end, so the refund happened).</summary>
    private async Task<Compose> WatchAsync(KojiTaskContext context, Compose compose, CancellationToken shutdown)
    {
        var id = context.TaskId;
        string? uploaded = null;
        var canceling = false;
        while (true)
        {
            compose = await RetryAsync(id, "read the compose", ct => composes.GetAsync(compose.Id, ct), shutdown)
                ?? throw new InvalidOperationException($"compose {compose.Id} of task {id} vanished");
            if (context.StopReason == KojiTaskStopReason.Lost)
            {
                return compose;
            }

            if (context.StopReason == KojiTaskStopReason.Canceled)
            {
                if (!canceling && !compose.State.IsFinal())
                {
                    Log.TaskCancelingCompose(logger, id, compose.Id);
                    await RetryAsync(id, "cancel the compose", ct => operations.CancelAsync(compose.Id, ct), shutdown);
                }

                canceling = true;
            }
            else if (!compose.State.IsFinal())
            {
                var text = PythonJson.Serialize(TaskDocuments.ComposeStatus(compose));
                if (!string.Equals(text, uploaded, StringComparison.Ordinal) && await UploadTextAsync(context, TaskDocuments.ComposeStatusFile, text, required: false, shutdown))
                {
                    uploaded = text;
                }
            }

            if (compose.State.IsFinal())
            {
                return compose;
            }

            // Woken early when Koji cancels the task, so the compose is canceled at once.
            using var wake = CancellationTokenSource.CreateLinkedTokenSource(shutdown, canceling ? CancellationToken.None : context.Stopped);
            try
            {
                await Task.Delay(settings.StatusInterval, time, wake.Token);
            }
            catch (OperationCanceledException) when (!shutdown.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>Step 11 and the final status: manifests, then the logs, then compose-status.json. Missing pieces
    /// are skipped; failures to attach a manifest or log are logged, not fatal (the stock builder's rule).</summary>
    private async Task AttachResultsAsync(KojiTaskContext context, Compose compose, CancellationToken shutdown)
    {
        foreach (var image in compose.Images)
        {
            if (TaskDocuments.Manifest(image) is { } manifest)
            {
                await UploadAsync(context, TaskDocuments.ManifestFile(image), manifest, required: false, shutdown);
            }
        }

        if (TaskDocuments.InitLog(compose) is { } init)
        {
            await UploadAsync(context, TaskDocuments.InitLogFile, init, required: false, shutdown);
        }

        if (TaskDocuments.ImportLog(compose) is { } import)
        {
            await UploadAsync(context, TaskDocuments.ImportLogFile, import, required: false, shutdown);
        }

        foreach (var image in compose.Images)
        {
            if (TaskDocuments.ImageLog(compose, image) is { } log)
            {
                await UploadAsync(context, TaskDocuments.ImageLogFile(image), log, required: false, shutdown);
            }
        }

        await UploadAsync(context, TaskDocuments.ComposeStatusFile, TaskDocuments.ComposeStatus(compose), required: true, shutdown);
    }

    /// <summary>Step 13: the tagBuild subtask into the destination tag, run by a host of channel image (normally
    /// us), waited for. Null when tagged; the failed outcome (the subtask's fault) otherwise.</summary>
    private async Task<KojiTaskOutcome?> TagAsync(KojiTaskContext context, KojiTaskRecord record, long buildId, CancellationToken shutdown)
    {
        var id = context.TaskId;
        var data = record.Data ?? throw new InvalidOperationException($"task {id} has no recorded destination tag");
        var destTag = data[DestTagIdKey]!.GetValue<long>();
        long subtask;
        if (data[TagTaskKey] is { } known)
        {
            subtask = known.GetValue<long>();
        }
        else
        {
            // Same parent and label returns the existing subtask, so a retry after a lost reply makes no second one.
            subtask = await RetryAsync(id, "create the tagBuild subtask", ct => context.Session.SubtaskAsync("tagBuild", [destTag, buildId, false, null, true], id, "tag", "noarch", ct), shutdown);
            var updated = data.DeepClone().AsObject();
            updated[TagTaskKey] = subtask;
            await RetryAsync(id, "record the tagBuild subtask", ct => tasks.UpdateTaskAsync(id, KojiTaskStage.Finishing, null, updated, null, null, time.GetUtcNow(), ct), shutdown);
            Log.TaskTagging(logger, id, subtask, buildId, data[DestTagNameKey]?.GetValue<string>() ?? destTag.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        await RetryAsync(id, "wait for the tagBuild subtask", async ct => { await context.Session.TaskSetWaitAsync(id, [subtask], ct); return true; }, shutdown);
        while (true)
        {
            var (_, unfinished) = await RetryAsync(id, "ask whether tagging finished", ct => context.Session.TaskWaitAsync(id, ct), shutdown);
            if (unfinished.Count == 0)
            {
                break;
            }

            using var wake = CancellationTokenSource.CreateLinkedTokenSource(shutdown, context.Stopped);
            try
            {
                await Task.Delay(settings.TagPollInterval, time, wake.Token);
            }
            catch (OperationCanceledException) when (!shutdown.IsCancellationRequested)
            {
                return Stopped(context);
            }
        }

        try
        {
            // The subtask's own fault comes back from this call: only our session's trouble is waited out here.
            await RetryAsync(id, "read the tagBuild result", ct => context.Session.TaskWaitResultsAsync(id, [subtask], ct), shutdown, IsOurSessionsTrouble);
            return null;
        }
        catch (KojiFaultException fault) when (!fault.IsTransient)
        {
            // The subtask's fault, re-raised by the hub (e.g. 1003 "Package X not in list for tag Y").
            Log.TaskTagFailed(logger, id, subtask, fault.FaultCode, fault.FaultString);
            return new KojiTaskOutcome.Failed(fault.FaultCode, fault.FaultString);
        }
    }

    private Task<bool> UploadAsync(KojiTaskContext context, string name, JsonNode document, bool required, CancellationToken cancellationToken) =>
        UploadTextAsync(context, name, PythonJson.Serialize(document), required, cancellationToken);

    /// <summary>Uploads a task attachment (overwriting). Hub errors that may pass are retried when
    /// <paramref name="required"/>; otherwise one try, failures logged. True when it went up.</summary>
    private async Task<bool> UploadTextAsync(KojiTaskContext context, string name, string text, bool required, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (required)
        {
            await RetryAsync(context.TaskId, $"attach {name}", ct => context.Session.UploadTaskOutputAsync(context.TaskId, name, bytes, ct), cancellationToken);
            return true;
        }

        try
        {
            await context.Session.UploadTaskOutputAsync(context.TaskId, name, bytes, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is KojiException or HttpRequestException or IOException)
        {
            Log.TaskAttachmentFailed(logger, context.TaskId, name, e.Message);
            return false;
        }
    }

    /// <summary>
    /// Errors that are the builder host's, not the task's: our session refused (it re-establishes itself), Kerberos
    /// unable to log in again, a reply that is not XML-RPC (a proxy in front of the hub). The task's own faults
    /// reach the handler as <see cref="KojiTaskFailure"/> (the plan's reads) or from calls whose faults are the task's
    /// answer, never as these.
    /// </summary>
    private static bool IsHostSide(Exception e) =>
        e is KojiAuthErrorFault or HubBridge.Authentication.KerberosException or HubBridge.Transport.KojiProtocolException;

    /// <summary>As <see cref="IsHostSide"/>, but of the auth faults only our session's own (expired, invalid): a
    /// call that re-raises a subtask's fault may carry another auth fault as the subtask's answer.</summary>
    private static bool IsOurSessionsTrouble(Exception e) =>
        e is HubBridge.Authentication.KerberosException or HubBridge.Transport.KojiProtocolException
            or KojiAuthExpiredFault or KojiAuthLockErrorFault or KojiGSSAPIAuthErrorFault
        || (e is KojiAuthErrorFault auth && auth.FaultString.Contains("Invalid session or bad credentials", StringComparison.Ordinal));

    /// <summary>Runs <paramref name="action"/> until it succeeds or fails for a reason that is not transient (hub,
    /// network, database) nor the host's own (<see cref="IsHostSide"/>): those are waited out with doubling delays,
    /// never turned into the task's failure.</summary>
    private async Task<T> RetryAsync<T>(long taskId, string what, Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken, Func<Exception, bool>? waitOut = null)
    {
        waitOut ??= IsHostSide;
        var delay = settings.RetryDelay;
        while (true)
        {
            try
            {
                return await action(cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not KojiTaskFailure && (StepRetryPolicy.IsTransient(e) || waitOut(e)))
            {
                Log.TaskStepRetrying(logger, taskId, what, delay.TotalSeconds, e.Message);
                await Task.Delay(delay, time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.MaxRetryDelay.Ticks));
            }
        }
    }
}
