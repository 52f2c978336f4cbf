using System.Reflection;
using KojiComposer.Contracts.Errors;
using KojiComposer.HubBridge;
using KojiComposer.HubBridge.Authentication;
using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Faults;
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
/// <remarks>
/// Errors: a transient hub error (network, ServerOffline, LockError) leaves as the hub bridge raised it, and the
/// scheduler's retry policy runs the step again. Everything the hub refused for good becomes a permanent
/// <see cref="ComposeStepException"/> whose reason carries the hub's fault text: 15 for the reservation, 16 for the
/// import and the refund, 2 when this service cannot act on the compose's hub at all.
/// </remarks>
public sealed partial class ContentGeneratorSteps : IComposeKojiSteps
{
    private readonly KojiHubOptions _hub;
    private readonly KerberosIdentity _identity;
    private readonly string _contentGenerator;
    private readonly IComposeStore _store;
    private readonly ILogger<ContentGeneratorSteps> _logger;
    private readonly KojiSessionOptions _sessionOptions;
    private readonly TimeProvider _time;

    /// <param name="hub">The hub.</param>
    /// <param name="identity">The content-generator user (<c>[hub.content_generator]</c>).</param>
    /// <param name="contentGenerator">The content generator's name (default <c>osbuild</c>).</param>
    /// <param name="store">The compose store (to tell our own lost reservation from another compose's).</param>
    /// <param name="logger">Log.</param>
    /// <param name="sessionOptions">Session options (credentials; tests).</param>
    /// <param name="time">Clock.</param>
    public ContentGeneratorSteps(KojiHubOptions hub, KerberosIdentity identity, string contentGenerator, IComposeStore store, ILogger<ContentGeneratorSteps> logger, KojiSessionOptions? sessionOptions = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contentGenerator);
        _hub = hub ?? throw new ArgumentNullException(nameof(hub));
        _identity = identity ?? throw new ArgumentNullException(nameof(identity));
        _contentGenerator = contentGenerator;
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        // Never exclusive: the reservation, the workers' uploads and the import are sessions of the same CG user at
        // the same time, and an exclusive one would lock the others out (koji-wire.md §4.2).
        _sessionOptions = (sessionOptions ?? new KojiSessionOptions()) with { Exclusive = false, ForceExclusive = false };
        _time = time ?? TimeProvider.System;
    }

    /// <summary>What the manifests' <c>osbuild_composer_version</c> says: <c>kojicomposer-&lt;our version&gt;</c>.</summary>
    public string ProducerVersion { get; init; } = DefaultProducerVersion;

    /// <summary>Metadata up to this many UTF-8 bytes travels inline as CGImport's JSON string; larger metadata is
    /// uploaded as <c>metadata.json</c> into the upload directory. 3.5 MiB leaves room under the hub's default
    /// <c>MaxRequestLength</c> of 4 MiB for the XML-RPC envelope and the escaping of <c>&amp;</c> and <c>&lt;</c>
    /// (cg-import.md §4).</summary>
    public long InlineMetadataLimit { get; init; } = 3_670_016;

    private static string DefaultProducerVersion { get; } = "kojicomposer-" +
        (typeof(ContentGeneratorSteps).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0");

    private string HubUrl => _hub.Url.AbsoluteUri;

    /// <summary>The compose's hub must be the one we hold the CG identity for (else 2, as the builder's uploads).</summary>
    private void CheckHub(Compose compose, string step)
    {
        if (!HubUrls.Same(HubUrl, compose.KojiServer!))
        {
            throw new ComposeStepException(new JobError(JobErrorCodes.InvalidTargetConfig,
                $"cannot {step} {compose.Nvr}: this service's content generator works with {HubUrl}, the compose's hub is {compose.KojiServer}"));
        }
    }

    /// <summary>A login of its own as the CG user; a login the hub refuses for good is 2 (composer: "Koji login failed").</summary>
    private async Task<KojiSession> LogInAsync(string step, CancellationToken cancellationToken)
    {
        try
        {
            return await KojiSession.LoginAsync(_hub, _identity, _sessionOptions, _logger, cancellationToken).ConfigureAwait(false);
        }
        catch (KojiException e) when (!e.IsTransient)
        {
            throw new ComposeStepException(new JobError(JobErrorCodes.InvalidTargetConfig,
                $"cannot log in to {HubUrl} as {_identity} to {step}: {e.Message}"), isTransient: false, e);
        }
    }

    /// <summary>The hub's own words for an error: a fault's text, otherwise the bridge's message.</summary>
    private static string HubText(KojiException e) => e is KojiFaultException fault ? fault.FaultString : e.Message;

    private static KojiReservation ForHub(Reservation reservation) => new(reservation.BuildId, reservation.Token);
}
