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
internal sealed class GcpUploadRun(
    IGcpCalls calls, GcpTargetOptions gcp, ILogger logger, TargetUpload upload, GcpUploadOptions options,
    string bucket, string objectName, string imageName, string project)
{
    private const string ImageUserRole = "roles/compute.imageUser";

    /// <summary>How many polls in a row may fail transiently before the wait gives up (the poll is read-only, so
    /// looking again is always safe; giving up early would delete the object under a running import).</summary>
    private const int MaxPollFailures = 5;

    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromMinutes(1);

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
                existing = await WaitForImageAsync(cancellationToken).ConfigureAwait(false);
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

    /// <summary>Step 4: adds the members of <c>share_with_accounts</c>, as given, to the image's
    /// <c>roles/compute.imageUser</c> binding (read–modify–write with the policy's etag; members already there are
    /// not added again).</summary>
    public async Task ShareAsync(CancellationToken cancellationToken)
    {
        if (options.ShareWithAccounts.Count == 0)
        {
            return;
        }

        upload.Progress.Report(new ImageProgress(2, Steps, "gcp: sharing image"));
        try
        {
            var policy = await Step(TargetFailedException.SharingTarget, $"reading the IAM policy of image {imageName}",
                () => calls.GetImageIamPolicyAsync(project, imageName, cancellationToken)).ConfigureAwait(false);
            var added = AddMembers(policy, options.ShareWithAccounts);
            if (added.Count > 0)
            {
                await Step(TargetFailedException.SharingTarget, $"sharing image {imageName} with {string.Join(", ", added)}",
                    () => calls.SetImageIamPolicyAsync(project, imageName, policy, cancellationToken), conflictIsTransient: true).ConfigureAwait(false);
            }

            Log.GcpShared(logger, upload.Image, imageName, string.Join(", ", options.ShareWithAccounts));
        }
        catch (Exception e) when (e is OperationCanceledException or TargetFailedException { IsTransient: false })
        {
            await DeleteImageAsync(e is OperationCanceledException ? "the upload was canceled" : "sharing it failed", bestEffort: true, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Steps 1–3.</summary>
    private async Task UploadAndInsertAsync(CancellationToken cancellationToken)
    {
        var inserted = false;
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

    /// <summary>Polls the operation until it is DONE, at most <see cref="GcpTargetOptions.OperationTimeout"/>.</summary>
    private async Task<GcpOperation> WaitForOperationAsync(GcpOperation operation, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        var failures = 0;
        while (!operation.Done)
        {
            if (TimeProvider.System.GetElapsedTime(started) > gcp.OperationTimeout)
            {
                throw TargetFailedException.Import($"importing image {imageName} did not finish within {gcp.OperationTimeout} (operation {operation.Name})");
            }

            await Task.Delay(gcp.PollInterval, cancellationToken).ConfigureAwait(false);
            try
            {
                operation = await calls.GetOperationAsync(project, operation.Name, cancellationToken).ConfigureAwait(false);
                failures = 0;
            }
            catch (GcpApiException e) when (e.IsTransient && ++failures < MaxPollFailures)
            {
                Log.GcpPollFailed(logger, upload.Image, $"operation {operation.Name}", e.Message);
            }
            catch (GcpApiException e)
            {
                throw new TargetFailedException(JobErrorCodes.ImportingImage, $"waiting for the import of image {imageName}: {e.Message}", e.IsTransient, e);
            }
        }

        return operation;
    }

    /// <summary>Waits while the image of an earlier attempt is PENDING (or being deleted); null when it is gone.</summary>
    private async Task<GcpImage?> WaitForImageAsync(CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        var failures = 0;
        while (true)
        {
            GcpImage? image;
            try
            {
                image = await calls.GetImageAsync(project, imageName, cancellationToken).ConfigureAwait(false);
                failures = 0;
            }
            catch (GcpApiException e) when (e.IsTransient && ++failures < MaxPollFailures)
            {
                Log.GcpPollFailed(logger, upload.Image, $"image {imageName}", e.Message);
                await Task.Delay(gcp.PollInterval, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (GcpApiException e)
            {
                throw new TargetFailedException(JobErrorCodes.ImportingImage, $"waiting for image {imageName}: {e.Message}", e.IsTransient, e);
            }

            if (image is null || image.Status is not ("PENDING" or "DELETING"))
            {
                return image;
            }

            if (TimeProvider.System.GetElapsedTime(started) > gcp.OperationTimeout)
            {
                throw TargetFailedException.Import($"image {imageName} was still {image.Status} after {gcp.OperationTimeout}");
            }

            await Task.Delay(gcp.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes the image and waits for that. <paramref name="bestEffort"/> when the upload is failing anyway:
    /// then within its own time limit, and a failure is logged, not thrown.</summary>
    private async Task DeleteImageAsync(string why, bool bestEffort, CancellationToken cancellationToken)
    {
        using var cleanup = bestEffort ? new CancellationTokenSource(CleanupTimeout) : null;
        var token = cleanup?.Token ?? cancellationToken;
        Log.GcpDeletingImage(logger, upload.Image, imageName, project, why);
        try
        {
            var operation = await calls.DeleteImageAsync(project, imageName, token).ConfigureAwait(false);
            var started = TimeProvider.System.GetTimestamp();
            while (!operation.Done && TimeProvider.System.GetElapsedTime(started) < gcp.OperationTimeout)
            {
                await Task.Delay(gcp.PollInterval, token).ConfigureAwait(false);
                operation = await calls.GetOperationAsync(project, operation.Name, token).ConfigureAwait(false);
            }

            if (operation.Error is not null)
            {
                throw new GcpApiException(null, operation.Error, false);
            }
        }
        catch (GcpApiException e) when (e.StatusCode == 404)
        {
            // GCP kept no image of the failed import.
        }
        catch (Exception e) when (bestEffort && e is GcpApiException or OperationCanceledException)
        {
            Log.GcpImageNotDeleted(logger, upload.Image, imageName, project, e is GcpApiException ? e.Message : "timed out");
        }
        catch (GcpApiException e)
        {
            throw new TargetFailedException(JobErrorCodes.ImportingImage, $"deleting the failed image {imageName} of an earlier attempt: {e.Message}", e.IsTransient, e);
        }
    }

    /// <summary>Step 3: deletes the staging object (also after a failure or cancellation, hence its own time limit).</summary>
    private async Task DeleteObjectAsync()
    {
        using var cleanup = new CancellationTokenSource(CleanupTimeout);
        try
        {
            if (await calls.DeleteObjectAsync(bucket, objectName, cleanup.Token).ConfigureAwait(false))
            {
                Log.GcpObjectDeleted(logger, upload.Image, bucket, objectName);
            }
        }
        catch (Exception e) when (e is GcpApiException or OperationCanceledException)
        {
            Log.GcpObjectNotDeleted(logger, upload.Image, bucket, objectName, e is GcpApiException ? e.Message : "timed out");
        }
    }

    /// <summary>Adds <paramref name="members"/> to the policy's unconditional imageUser binding; the ones added.</summary>
    private static List<string> AddMembers(JsonObject policy, IReadOnlyList<string> members)
    {
        if (policy["bindings"] is not JsonArray bindings)
        {
            policy["bindings"] = bindings = [];
        }

        var binding = bindings.OfType<JsonObject>().FirstOrDefault(b => b["role"]?.ToString() == ImageUserRole && b["condition"] is null);
        if (binding is null)
        {
            binding = new JsonObject { ["role"] = ImageUserRole, ["members"] = new JsonArray() };
            bindings.Add(binding);
        }

        if (binding["members"] is not JsonArray list)
        {
            binding["members"] = list = [];
        }

        var present = list.Select(m => m?.ToString()).ToHashSet(StringComparer.Ordinal);
        var added = members.Where(present.Add).ToList();
        foreach (var member in added)
        {
            list.Add(member);
        }

        return added;
    }

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
