using KojiComposer.HubBridge.Authentication;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubBridge.Transport;
using KojiComposer.Scheduler.Model;
using KojiComposer.Scheduler.Store;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Scheduler.Koji;

/// <summary>
/// The Koji steps of a compose as the content-generator user (cg-import.md §1-§5), each in its own login:
/// <c>CGInitBuild</c> (NVR checked first; a generated release taken meanwhile is asked for again; a reservation
/// whose reply was lost in a crash is found and released), <c>CGImport</c> with the metadata of
/// <see cref="CGMetadata"/> after checking every output's archive type (retried on "Corrupted upload"), and
/// <c>CGRefundBuild</c> (a build no longer BUILDING counts as refunded).
/// </summary>
public sealed class ContentGeneratorSteps : IComposeKojiSteps
{
    /// <param name="hub">The hub.</param>
    /// <param name="identity">The content-generator user (<c>[hub.content_generator]</c>).</param>
    /// <param name="contentGenerator">The content generator's name (default <c>osbuild</c>).</param>
    /// <param name="store">The compose store (to tell our own lost reservation from another compose's).</param>
    /// <param name="logger">Log.</param>
    /// <param name="sessionOptions">Session options (credentials; tests).</param>
    /// <param name="time">Clock.</param>
    public ContentGeneratorSteps(KojiHubOptions hub, KerberosIdentity identity, string contentGenerator, IComposeStore store, ILogger<ContentGeneratorSteps> logger, KojiSessionOptions? sessionOptions = null, TimeProvider? time = null)
    {
        throw new NotImplementedException();
    }

    public Task<Reservation?> ReserveAsync(Compose compose, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<string?> ImportAsync(Compose compose, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task RefundAsync(Compose compose, bool canceled, CancellationToken cancellationToken) => throw new NotImplementedException();
}
