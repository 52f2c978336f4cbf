using System.Text.Json.Nodes;
using KojiComposer.Config;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.Contracts.Targets;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Targets.Gcp;

/// <summary>
/// One attempt of one GCP upload (cloud-targets.md §5): the steps of <see cref="GcpImageTarget"/> with the names they
/// share. Numbered as in the spec: 1 upload the object, 2 insert the image and wait, 3 delete the object, 4 share.
/// </summary>
internal sealed partial class GcpUploadRun(
    IGcpCalls calls, GcpTargetOptions gcp, ILogger logger, TargetUpload upload, GcpUploadOptions options,
    string bucket, string objectName, string imageName, string project)
{
    private int Steps => options.ShareWithAccounts.Count > 0 ? 3 : 2;

    /// <summary>Makes the image, or finds the one an earlier attempt of this upload made.</summary>
    public async Task ImportAsync(CancellationToken cancellationToken)
    {
        var existing = await Step(JobErrorCodes.ImportingImage, $"looking for image {imageName} in project {project}",
            () => calls.GetImageAsync(project, imageName, cancellationToken)).ConfigureAwait(false);
        if (existing is not null)
        {
            if (!IsOurs(existing))
            {
                throw TargetFailedException.Import($"an image named {imageName} already exists in project {project} (not made by this upload)");
            }

            Log.GcpResuming(logger, upload.Image, imageName, existing.Status);
            if (existing.Status is "PENDING" or "DELETING")
            {
                try
                {
                    existing = await WaitForImageAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or TargetFailedException { IsTransient: false })
                {
                    await DeleteImageAsync(e is OperationCanceledException ? "the upload was canceled" : "waiting for it failed", bestEffort: true, CancellationToken.None).ConfigureAwait(false);
                    throw;
                }
            }

            if (existing?.Status == "READY")
            {
                return;
            }

            if (existing is not null)
            {
                // FAILED: the earlier attempt's import broke (its object may be gone); make the image again.
                await DeleteImageAsync($"an earlier attempt's import ended {existing.Status}", bestEffort: false, cancellationToken).ConfigureAwait(false);
            }
        }

        await UploadAndInsertAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Steps 1–3.</summary>
    private async Task UploadAndInsertAsync(CancellationToken cancellationToken)
    {
        var inserted = false;
        var insertSent = false;
        try
        {
            var size = new FileInfo(upload.ArtifactPath).Length;
            Log.GcpUploading(logger, upload.Image, size, bucket, objectName);
            upload.Progress.Report(new ImageProgress(0, Steps, "gcp: uploading object", 0, Mib(size)));
            var progress = new Progress<long>(sent => upload.Progress.Report(new ImageProgress(0, Steps, "gcp: uploading object", Mib(sent), Mib(size))));
            var metadata = new Dictionary<string, string> { [GcpNames.ImageNameMetadata] = imageName };
            await Step(JobErrorCodes.UploadingImage, $"uploading gs://{bucket}/{objectName}",
                () => calls.UploadObjectAsync(bucket, objectName, upload.ArtifactPath, metadata, progress, cancellationToken)).ConfigureAwait(false);

            upload.Progress.Report(new ImageProgress(1, Steps, "gcp: importing image"));
            insertSent = true;
            var operation = await Step(JobErrorCodes.ImportingImage, $"importing image {imageName} into project {project}",
                () => calls.InsertImageAsync(project, ImageResource(), cancellationToken), conflictIsTransient: true).ConfigureAwait(false);
            inserted = true;
            Log.GcpImporting(logger, upload.Image, imageName, project, operation.Name);
            operation = await WaitForOperationAsync(operation, cancellationToken).ConfigureAwait(false);
            if (operation.Error is not null)
            {
                throw TargetFailedException.Import($"importing image {imageName} into project {project} failed: {operation.Error}");
            }

            Log.GcpImageReady(logger, upload.Image, imageName, project);
        }
        catch (Exception e) when (inserted && e is OperationCanceledException or TargetFailedException { IsTransient: false })
        {
            // The image (if GCP kept one) is ours and of no use; after a transient failure the next attempt goes on with it.
            await DeleteImageAsync(e is OperationCanceledException ? "the upload was canceled" : "its import failed", bestEffort: true, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        catch (OperationCanceledException) when (insertSent)
        {
            // Canceled while images.insert was on its way: GCP may have begun the image all the same. Delete it if it
            // is this upload's (its label says so); an image of that name made by anything else is left alone.
            await DeleteImageIfOursAsync("the upload was canceled").ConfigureAwait(false);
            throw;
        }
        finally
        {
            // Step 3, whatever happened (also when the upload itself failed half-way or was canceled).
            await DeleteObjectAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The <c>images.insert</c> body.</summary>
    private JsonObject ImageResource()
    {
        var image = new JsonObject
        {
            ["name"] = imageName,
            ["description"] = $"Built by KojiComposer, compose {upload.ComposeId:D}",
            // Compute reads the object through this URL whatever Cloud Storage endpoint we upload to (§5 step 2).
            ["rawDisk"] = new JsonObject { ["source"] = $"https://storage.googleapis.com/{bucket}/{objectName}" },
            ["storageLocations"] = new JsonArray(options.Region),
            ["guestOsFeatures"] = new JsonArray([.. GcpGuestOsFeatures.For(upload.Distribution, upload.Arch, upload.BootMode)
                .Select(f => (JsonNode)new JsonObject { ["type"] = f })]),
            ["labels"] = new JsonObject
            {
                [GcpNames.UploadLabel] = GcpNames.UploadToken(upload.GeneratedName),
                [GcpNames.ComposeLabel] = upload.ComposeId.ToString("D"),
            },
        };
        if (GcpGuestOsFeatures.Architecture(upload.Arch) is { } architecture)
        {
            image["architecture"] = architecture;
        }

        return image;
    }

    private bool IsOurs(GcpImage image) =>
        image.Labels.TryGetValue(GcpNames.UploadLabel, out var token) && token == GcpNames.UploadToken(upload.GeneratedName);

    private static async Task<T> Step<T>(int code, string what, Func<Task<T>> call, bool conflictIsTransient = false)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (GcpApiException e)
        {
            // 409 on insert: an image of that name appeared since we looked (an earlier attempt's insert that did reach
            // GCP); on setIamPolicy: the etag changed. Both are sorted out by trying again.
            var transient = e.IsTransient || (conflictIsTransient && e.StatusCode is 409 or 412);
            throw new TargetFailedException(code, $"{what}: {e.Message}", transient, e);
        }
    }

    private static async Task Step(int code, string what, Func<Task> call) =>
        await Step(code, what, async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);

    private static int Mib(long bytes) => (int)Math.Min(int.MaxValue, bytes >> 20);
}
