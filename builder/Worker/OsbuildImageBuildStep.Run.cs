using System.Text.Json.Nodes;
using KojiComposer.Builder.Artifacts;
using KojiComposer.Builder.Manifests;
using KojiComposer.Builder.Osbuild;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.Contracts.Targets;

namespace KojiComposer.Builder.Worker;

public sealed partial class OsbuildImageBuildStep
{
    private async Task<ImageBuildOutcome> BuildInAsync(Build build, IImageBuildReporter reporter, CancellationToken cancellationToken)
    {
        var (request, entry, work, image, _) = (build.Request, build.Entry, build.Work, build.Image, build.HostOs);
        reporter.Report(ImageBuildPhase.Building);

        // Checkpoint 2: the manifest. A generator's verdict on this image (depsolve, unknown type) is the image's
        // failure; a transient one (a repository that did not answer) goes back to the retry policy.
        GeneratedManifest generated;
        try
        {
            generated = await generator.GenerateAsync(ManifestRequestFor(build), cancellationToken).ConfigureAwait(false);
        }
        catch (ComposeStepException e) when (!e.IsTransient)
        {
            Log.ManifestFailed(logger, image, e.Error.ToString());
            return ImageBuildOutcome.Failed(e.Error);
        }
        catch (ManifestGeneratorUnavailableException e)
        {
            var reason = $"the manifest generator {generator.Name} cannot run on this worker: {e.Message}";
            Log.BuildCannotRun(logger, image, reason);
            return ImageBuildOutcome.Failed(new JobError(JobErrorCodes.InvalidConfig, reason));
        }

        var pipelines = generated.Pipelines is { Build.Count: > 0 } or { Payload.Count: > 0 }
            ? generated.Pipelines
            : new PipelineNames(entry.BuildPipelines, entry.PayloadPipelines);
        reporter.Report(ImageBuildPhase.Building);

        // Checkpoint 3: osbuild. Its failure is recorded in the result, with its --json document, like composer's.
        string version;
        OsbuildRunResult run;
        try
        {
            version = await OsbuildVersionAsync(cancellationToken).ConfigureAwait(false);
            run = await osbuild.RunAsync(new OsbuildRunRequest
            {
                Manifest = generated.Manifest,
                Export = entry.Export,
                OutputDirectory = work.Output,
                StoreDirectory = settings.StoreDirectory,
                CacheMaxBytes = settings.CacheMaxBytes,
                CheckpointBuild = settings.CheckpointBuild,
                Environment = settings.OsbuildEnvironment,
            }, new BuildProgress(reporter), cancellationToken).ConfigureAwait(false);
        }
        catch (OsbuildUnavailableException e)
        {
            var error = new JobError(JobErrorCodes.BuildJob, $"osbuild cannot run on this worker: {e.Message}");
            Log.BuildCannotRun(logger, image, error.Reason);
            return Failed(build, error, generated.Manifest, pipelines, _osbuildVersion ?? "", null);
        }

        if (!run.Success)
        {
            var error = run.Error ?? new JobError(JobErrorCodes.BuildJob, "osbuild build failed");
            Log.ImageOsbuildFailed(logger, image, version, run.Failure.ToString(), run.ExitCode, error.Reason);
            return Failed(build, error, generated.Manifest, pipelines, version, run.Document);
        }

        // Checkpoint 4: the artifact.
        var artifact = ArtifactLocator.Find(work.Output, entry.Export, entry.Filename);
        if (artifact is null)
        {
            var error = new JobError(JobErrorCodes.BuildJob,
                $"osbuild exported no file for {entry.Export}/{entry.Filename} ({ArtifactLocator.Describe(work.Output, entry.Export)})");
            Log.NoArtifact(logger, image, error.Reason);
            return Failed(build, error, generated.Manifest, pipelines, version, run.Document);
        }

        if (artifact.Substituted)
        {
            Log.ArtifactSubstituted(logger, image, entry.Export, entry.Filename, artifact.Filename);
        }

        Log.Built(logger, image, artifact.Filename, new FileInfo(artifact.Path).Length, version);

        // Checkpoint 5: Koji. Upload errors leave as they are (ComposeStepException with 2 or 11).
        var made = new BuildProducts(generated, pipelines, version, run.Document, artifact);
        KojiImageFiles? koji = null;
        IReadOnlyList<UploadResult> uploads = [];
        if (request.KojiServer is { } hub && request.KojiUploadDirectory is { } directory)
        {
            var prepared = PrepareKojiFiles(build, made);
            if (prepared.Error is not null)
            {
                return Failed(build, prepared.Error, generated.Manifest, pipelines, version, run.Document);
            }

            reporter.Report(ImageBuildPhase.Uploading);
            koji = await UploadToKojiAsync(build, made, hub, directory, prepared.Files, reporter, cancellationToken).ConfigureAwait(false);
            uploads = [new UploadResult(UploadTargetTypes.Koji, true, KojiUploadOptions(koji))];
        }

        // Checkpoint 6: the cloud target, after Koji (composer's order). Its failure fails the image (28), with what
        // reached Koji and the target's own result kept.
        var targetRuns = await RunTargetsAsync(build, made, reporter, cancellationToken).ConfigureAwait(false);
        uploads = [.. uploads, .. targetRuns.Uploads];
        if (targetRuns.Error is { } targetError)
        {
            var failed = Facts(build, pipelines, version, run.Document) with
            {
                Success = false,
                UploadStatus = "failure",
                JobError = targetError.ToJson(),
                Koji = koji,
                TargetResults = targetRuns.Results,
            };
            return ImageBuildOutcome.Failed(targetError, uploads, generated.Manifest, failed.ToJson());
        }

        var result = Facts(build, pipelines, version, run.Document) with
        {
            Success = true,
            UploadStatus = "success",
            Koji = koji,
            TargetResults = targetRuns.Results,
        };
        return ImageBuildOutcome.Succeeded(uploads, generated.Manifest, result.ToJson());
    }

    private static ManifestRequest ManifestRequestFor(Build build) => new()
    {
        Distribution = build.Request.Distribution,
        Arch = build.Request.Arch,
        ImageType = build.Entry,
        Customizations = build.Request.Customizations?.DeepClone().AsObject(),
        Repositories = build.Request.ImageRequest["repositories"] is JsonArray repositories ? repositories.DeepClone().AsArray() : [],
        Ostree = build.Request.ImageRequest["ostree"] is JsonObject ostree ? ostree.DeepClone().AsObject() : null,
        Seed = build.Request.Seed,
        WorkDirectory = build.Work.Generator,
        Description = build.Image,
    };

    /// <summary>What a successful osbuild run left for the Koji files and the result.</summary>
    private sealed record BuildProducts(GeneratedManifest Manifest, PipelineNames Pipelines, string OsbuildVersion, JsonObject? Document, LocatedArtifact Artifact);

    /// <summary>osbuild's monitor progress as the image's status (<see cref="ImageBuildPhase.Building"/>),
    /// reported synchronously so the latest report is the latest progress.</summary>
    private sealed class BuildProgress(IImageBuildReporter reporter) : IProgress<ImageProgress>
    {
        public void Report(ImageProgress value) => reporter.Report(ImageBuildPhase.Building, value);
    }
}
