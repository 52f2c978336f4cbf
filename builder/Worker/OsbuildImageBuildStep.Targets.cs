using System.Text.Json.Nodes;
using System.Text.Json;
using KojiComposer.Builder.Targets;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.Contracts.Secrets;
using KojiComposer.Contracts.Targets;

namespace KojiComposer.Builder.Worker;

public sealed partial class OsbuildImageBuildStep
{
    /// <summary>
    /// The image's cloud targets, after its Koji upload (cloud-targets.md §1): <c>upload_targets</c> of composer's
    /// API (each with its own <c>upload_options</c>), else the image type's default target for the request's
    /// <c>upload_options</c>. Each target's outcome is an upload result (its type and result options, or failure)
    /// and a target result (<c>{name, options, osbuild_artifact, target_error?}</c>); any failure fails the image
    /// with TargetError (28), composer's <c>at least one target failed</c> with one detail per failed target.
    /// </summary>
    private async Task<TargetRuns> RunTargetsAsync(Build build, BuildProducts made, IImageBuildReporter reporter, CancellationToken cancellationToken)
    {
        var requested = RequestedTargets(build.Request);
        var runs = new TargetRuns();
        foreach (var (type, json) in requested)
        {
            var name = UploadTargetTypes.NameOf(type) ?? type;
            var artifact = new JsonObject { ["export_filename"] = made.Artifact.Filename, ["export_name"] = build.Entry.Export };
            reporter.Report(ImageBuildPhase.Uploading, new ImageProgress(0, 1, $"{type}: starting"));
            Log.TargetStarted(logger, build.Image, type);
            try
            {
                var options = await RunTargetAsync(build, made, type, json, reporter, cancellationToken).ConfigureAwait(false);
                Log.TargetSucceeded(logger, build.Image, type, PresignedUrls.Redact(options.ToJsonString()));
                runs.Uploads.Add(new UploadResult(type, true, options));
                runs.Results.Add(new JsonObject { ["name"] = name, ["options"] = options.DeepClone(), ["osbuild_artifact"] = artifact });
            }
            catch (TargetFailedException e)
            {
                var reason = PresignedUrls.Redact(e.Message);
                Log.TargetFailed(logger, build.Image, type, e.Code, reason);
                var error = new JsonObject { ["id"] = e.Code, ["reason"] = reason, ["details"] = name };
                runs.Uploads.Add(new UploadResult(type, false, new JsonObject()));
                runs.Results.Add(new JsonObject
                {
                    ["name"] = name,
                    ["options"] = new JsonObject(),
                    ["osbuild_artifact"] = artifact,
                    ["target_error"] = new JsonObject { ["id"] = e.Code, ["reason"] = reason },
                });
                runs.Errors.Add(error);
            }
        }

        return runs;
    }

    private async Task<JsonObject> RunTargetAsync(
        Build build, BuildProducts made, string type, JsonObject json, IImageBuildReporter reporter, CancellationToken cancellationToken)
    {
        var (options, problem) = UploadOptions.Parse(type, json);
        if (options is null)
        {
            throw TargetFailedException.Config(problem!);
        }

        var target = targets.Find(type)
            ?? throw TargetFailedException.Config($"this worker has no {type} target");
        var upload = new TargetUpload
        {
            ComposeId = build.Request.ComposeId,
            Image = build.Image,
            Distribution = build.Request.Distribution,
            Arch = build.Request.Arch,
            ImageType = build.Request.ImageType,
            ArtifactPath = made.Artifact.Path,
            ExportFilename = made.Artifact.Filename,
            BootMode = build.Entry.BootMode,
            Options = options,
            GeneratedName = targets.NewName(),
            Progress = new TargetProgress(reporter),
            WorkDirectory = build.Work.Targets,
        };
        var retry = new TargetRetry(targets.Options.MaxAttempts, targets.Options.RetryDelay, Time)
        {
            OnRetry = (attempt, e, delay) => Log.TargetRetrying(logger, build.Image, type, attempt, targets.Options.MaxAttempts, PresignedUrls.Redact(e.Message), delay),
        };
        try
        {
            return await retry.RunAsync((last, ct) => UploadAsync(target, upload with { IsLastAttempt = last }, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Canceled, possibly while waiting to try again: what a transient failure kept for the retry goes.
            await target.AbandonAsync(upload).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>One try of the target. What a target lets escape of the local disk or the network becomes its
    /// upload failure (11; a network error transient) rather than a crashed build step.</summary>
    private static async Task<JsonObject> UploadAsync(IUploadTarget target, TargetUpload upload, CancellationToken cancellationToken)
    {
        try
        {
            return await target.UploadAsync(upload, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw TargetFailedException.Upload($"{target.Type}: {e.Message}", inner: e);
        }
        catch (HttpRequestException e)
        {
            throw TargetFailedException.Upload($"{target.Type}: {e.Message}", isTransient: true, inner: e);
        }
    }

    /// <summary>The non-Koji targets the request asks for, each with its options object.</summary>
    internal static IReadOnlyList<(string Type, JsonObject Options)> RequestedTargets(ImageBuildRequest request)
    {
        if (request.ImageRequest["upload_targets"] is JsonArray list)
        {
            return [.. list.OfType<JsonObject>()
                .Where(t => t["type"] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() != UploadTargetTypes.Koji)
                .Select(t => (t["type"]!.GetValue<string>(), t["upload_options"] as JsonObject ?? []))];
        }

        return request.ImageRequest["upload_options"] is JsonObject options
            ? [(UploadTargetTypes.DefaultFor(request.ImageType), options)]
            : [];
    }

    /// <summary>What the image's targets left: upload results, target results and the errors of failed ones.</summary>
    private sealed class TargetRuns
    {
        public List<UploadResult> Uploads { get; } = [];

        public JsonArray Results { get; } = [];

        public JsonArray Errors { get; } = [];

        /// <summary>TargetError (28) when any target failed, else null.</summary>
        public JobError? Error => Errors.Count == 0
            ? null
            : new JobError(JobErrorCodes.TargetError, "at least one target failed", Errors.DeepClone());
    }

    /// <summary>A target's progress as the image's (<see cref="ImageBuildPhase.Uploading"/>).</summary>
    private sealed class TargetProgress(IImageBuildReporter reporter) : IProgress<ImageProgress>
    {
        public void Report(ImageProgress value) => reporter.Report(ImageBuildPhase.Uploading, value);
    }
}
