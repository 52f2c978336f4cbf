using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.HubBridge.Authentication;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubBridge.Transport;
using KojiComposer.HubBridge.Uploads;

namespace KojiComposer.Builder.Uploads;

public sealed partial class KojiArtifactUploader
{
    /// <summary>
    /// Uploads one file; when the session's own retries give up, resumes at the bytes the hub verified (they are
    /// re-read for the digests, not re-sent), up to <see cref="Attempts"/> sends in all. A session the hub no longer
    /// knows is replaced by a new login of the same user, in <paramref name="session"/> (so the caller logs out the
    /// one in use, whatever happens after).
    /// </summary>
    private async Task<KojiUploadResult> UploadOneAsync(
        CurrentSession session, KojiHubOptions options, KerberosIdentity identity, string directory, ArtifactFile file,
        IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var hubName = options.Url.AbsoluteUri;
        var size = LocalSize(file);
        Log.UploadingFile(logger, hubName, directory, file.Name, size);
        long resumeAt = 0;
        var attempts = Math.Max(1, Attempts);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var current = session.Session ?? throw new InvalidOperationException("the upload has no session");
                var result = await current.UploadFileAsync(file.LocalPath, directory, file.Name, resumeAt, progress, cancellationToken).ConfigureAwait(false);
                Log.UploadedFile(logger, hubName, directory, file.Name, result.Size, result.Md5);
                return result;
            }
            catch (KojiUploadException e) when (attempt < attempts && Resumable(e))
            {
                resumeAt = e.VerifiedBytes;
                Log.ResumingUpload(logger, hubName, directory, file.Name, resumeAt, attempt + 1, attempts, e.Message);
                if (!e.IsTransient)
                {
                    Log.UploadSessionLost(logger, hubName, identity.ToString(), e.InnerException?.Message ?? e.Message);
                    await session.DisposeAsync().ConfigureAwait(false);
                    session.Session = await LogInAsync(options, identity, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (KojiUploadException e)
            {
                Log.UploadFailed(logger, hubName, directory, file.Name, e.Message);
                var cause = e.InnerException?.Message ?? e.Message;
                throw new ComposeStepException(new JobError(JobErrorCodes.UploadingImage,
                    $"uploading {file.Name} into {directory} failed after {attempt} attempt{(attempt == 1 ? "" : "s")} ({e.VerifiedBytes} of {size} bytes verified on the hub): {cause}"),
                    e.IsTransient, e);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                // Our side: the file vanished, cannot be read, or its name is one the hub would refuse.
                throw new ComposeStepException(new JobError(JobErrorCodes.KojiBuild, $"cannot upload {file.LocalPath} as {file.Name}: {e.Message}"), false, e);
            }
        }
    }

    /// <summary>Worth sending again: the hub or the network may recover, or the session is gone (a new login
    /// fixes that). A refusal such as "not owner" or an invalid name stays a refusal.</summary>
    private static bool Resumable(KojiUploadException e) =>
        e.IsTransient || e.InnerException is KojiAuthErrorFault { FaultString: var text } && IsInvalidSession(text);

    /// <summary>The hub's text for a session it no longer knows (kojihub/auth.py).</summary>
    private static bool IsInvalidSession(string faultString) =>
        faultString.Contains("Invalid session or bad credentials", StringComparison.Ordinal);

    private static long LocalSize(ArtifactFile file)
    {
        try
        {
            return new FileInfo(file.LocalPath).Length;
        }
        catch (IOException)
        {
            return -1;
        }
    }
}
