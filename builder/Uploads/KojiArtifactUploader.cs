using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.HubBridge;
using KojiComposer.HubBridge.Authentication;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubBridge.Transport;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Uploads;

/// <summary>
/// Uploads with the hub-bridge (<c>KojiSession.UploadFileAsync</c>) as the content-generator user, one session per
/// image's file set. The CG user, never the builder host: the host's session is exclusive and would lock every other
/// process of that user out, and the hub gives the upload directory to its first uploader (<c>.user</c>,
/// koji-wire.md §8.4), so the reservation, every upload and the import must be the same user (cg-import.md §1).
/// A worker without a <c>[hub]</c> section (or without its content-generator identity) fails every Koji upload
/// with InvalidTargetConfig (2), like composer's worker without Koji configuration (osbuild-run.md §10).
/// </summary>
public sealed partial class KojiArtifactUploader(KojiHubOptions? hub, KerberosIdentity? contentGenerator, ILogger<KojiArtifactUploader> logger) : IKojiArtifactUploader
{
    /// <summary>How many times one file is sent (the first time and each resume) before its upload fails.</summary>
    public int Attempts { get; init; } = 5;

    /// <summary>How sessions log in (tests: a handler or clock of their own).</summary>
    internal KojiSessionOptions SessionOptions { get; init; } = new();

    /// <inheritdoc />
    public async Task<IReadOnlyList<KojiOutputFile>> UploadAsync(
        string hubUrl, string directory, IReadOnlyList<ArtifactFile> files, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var (options, identity) = CheckConfiguration(hubUrl);
        // The session in use, replaced when the hub forgets it: whichever it is when the upload ends is logged out,
        // and only that one (the replaced one already was).
        var session = new CurrentSession(await LogInAsync(options, identity, cancellationToken).ConfigureAwait(false));
        Log.UploadSessionOpened(logger, options.Url.AbsoluteUri, identity.ToString(), files.Count, directory);
        try
        {
            var uploaded = new List<KojiOutputFile>(files.Count);
            long before = 0;
            foreach (var file in files)
            {
                var offset = before;
                var fileProgress = progress is null ? null : new Forward(bytes => progress.Report(offset + bytes));
                var result = await UploadOneAsync(session, options, identity, directory, file, fileProgress, cancellationToken).ConfigureAwait(false);
                uploaded.Add(new KojiOutputFile(file.Type, file.Name, result.Size, result.Md5, result.Sha256, file.Arch));
                before += result.Size;
            }

            return uploaded;
        }
        finally
        {
            // Logs out (best effort, bounded) whatever happened, cancellation included.
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>This worker's hub and CG identity, when the compose's hub is that hub.</summary>
    private (KojiHubOptions Hub, KerberosIdentity Identity) CheckConfiguration(string hubUrl)
    {
        if (hub is null || contentGenerator is null)
        {
            throw new ComposeStepException(new JobError(JobErrorCodes.InvalidTargetConfig,
                $"this worker cannot upload to Koji ({hubUrl}): it needs a [hub] section with [hub.content_generator] (the content-generator identity)"));
        }

        if (!HubUrls.Same(hub.Url.AbsoluteUri, hubUrl))
        {
            throw new ComposeStepException(new JobError(JobErrorCodes.InvalidTargetConfig,
                $"this worker uploads to {hub.Url.AbsoluteUri}, the compose's hub is {hubUrl}"));
        }

        return (hub, contentGenerator);
    }

    private async Task<KojiSession> LogInAsync(KojiHubOptions options, KerberosIdentity identity, CancellationToken cancellationToken)
    {
        try
        {
            // Not exclusive: several image uploads of the same CG user run at once on different workers.
            return await KojiSession.LoginAsync(options, identity, SessionOptions with { Exclusive = false }, logger, cancellationToken).ConfigureAwait(false);
        }
        catch (KojiException e)
        {
            throw new ComposeStepException(new JobError(JobErrorCodes.InvalidTargetConfig,
                $"cannot log in to {options.Url.AbsoluteUri} as {identity} for the Koji upload: {e.Message}"), e.IsTransient, e);
        }
    }

    /// <summary>The upload's session; null between logging out of a lost one and logging in again.</summary>
    private sealed class CurrentSession(KojiSession session) : IAsyncDisposable
    {
        public KojiSession? Session { get; set; } = session;

        public async ValueTask DisposeAsync()
        {
            if (Session is { } session)
            {
                Session = null;
                await session.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>An <see cref="IProgress{T}"/> that reports synchronously (<see cref="Progress{T}"/> would post
    /// to the thread pool and could report out of order).</summary>
    private sealed class Forward(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
