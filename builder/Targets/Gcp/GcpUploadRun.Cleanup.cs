using KojiComposer.Contracts.Errors;

namespace KojiComposer.Builder.Targets.Gcp;

/// <summary>Deleting what an upload made (<see cref="GcpUploadRun"/> step 3, and the image of a failed upload).</summary>
internal sealed partial class GcpUploadRun
{
    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromMinutes(1);

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

    /// <summary>Deletes the image (best effort) when it exists and carries this upload's label.</summary>
    private async Task DeleteImageIfOursAsync(string why)
    {
        GcpImage? image;
        try
        {
            using var cleanup = new CancellationTokenSource(CleanupTimeout);
            image = await calls.GetImageAsync(project, imageName, cleanup.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is GcpApiException or OperationCanceledException)
        {
            Log.GcpImageNotDeleted(logger, upload.Image, imageName, project, e is GcpApiException ? e.Message : "timed out");
            return;
        }

        if (image is not null && IsOurs(image))
        {
            await DeleteImageAsync(why, bestEffort: true, CancellationToken.None).ConfigureAwait(false);
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
}
