using KojiComposer.Contracts.Errors;

namespace KojiComposer.Builder.Targets.Gcp;

/// <summary>Waiting for imports (<see cref="GcpUploadRun"/> step 2).</summary>
internal sealed partial class GcpUploadRun
{
    /// <summary>How many polls in a row may fail transiently before the wait gives up (the poll is read-only, so
    /// looking again is always safe; giving up early would delete the object under a running import).</summary>
    private const int MaxPollFailures = 5;

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
}
