using KojiComposer.Contracts.Images;

namespace KojiComposer.Builder.Uploads;

/// <summary>
/// Uploads one image's files into its compose's Koji upload directory, logged in as the content-generator user
/// (never the builder host, whose exclusive session would lock the workers out; cg-import.md §1). One read pass per
/// file makes md5 and sha256; a failed upload resumes at the hub's verified offset.
/// </summary>
public interface IKojiArtifactUploader
{
    /// <summary>Uploads <paramref name="files"/> in order into <paramref name="directory"/> on
    /// <paramref name="hubUrl"/>.</summary>
    /// <param name="hubUrl">The compose's hub (<see cref="ImageBuildRequest.KojiServer"/>).</param>
    /// <param name="directory">The compose's upload directory.</param>
    /// <param name="files">What to upload.</param>
    /// <param name="progress">Bytes uploaded so far over all files.</param>
    /// <param name="cancellationToken">Stops the upload.</param>
    /// <returns>Each file as the import will name it, with size and checksums.</returns>
    /// <exception cref="Contracts.Errors.ComposeStepException">Error 11 (UploadingImage, transient when the hub
    /// may recover), 2 (InvalidTargetConfig: this worker is configured for another hub, has no CG identity, or its
    /// login failed; transient when the login may work later) or 14 (KojiBuild: a local file cannot be read).</exception>
    Task<IReadOnlyList<KojiOutputFile>> UploadAsync(
        string hubUrl, string directory, IReadOnlyList<ArtifactFile> files, IProgress<long>? progress, CancellationToken cancellationToken);
}

/// <summary>One file to upload.</summary>
/// <param name="LocalPath">Where it is on the worker.</param>
/// <param name="Name">Its name in Koji.</param>
/// <param name="Type">CG output type (<c>image</c>, <c>osbuild-manifest</c>, <c>log</c>, <c>sbom-doc</c>).</param>
/// <param name="Arch">Output arch (<c>noarch</c> for the log).</param>
public sealed record ArtifactFile(string LocalPath, string Name, string Type, string Arch);
