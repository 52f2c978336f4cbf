using KojiComposer.Contracts.Errors;

namespace KojiComposer.Contracts.Images;

/// <summary>
/// How one image build ended. A failed build is an outcome, not an exception: <see cref="Error"/> says why, with
/// its code. Exceptions out of <see cref="IImageBuildStep.BuildAsync"/> are for what the retry policy should see
/// (transient errors) or for bugs.
/// </summary>
public sealed record ImageBuildOutcome
{
    /// <summary>True when the image was built and every upload succeeded.</summary>
    public bool Success => Error is null;

    /// <summary>Why the build failed, or null on success.</summary>
    public JobError? Error { get; init; }

    /// <summary>Where the artifacts went (Koji, cloud targets), also on failure when some uploads finished.</summary>
    public IReadOnlyList<UploadResult> Uploads { get; init; } = [];

    /// <summary>The manifest osbuild ran (JSON text), kept for <c>/manifests</c> and the Koji import; null when none
    /// was made.</summary>
    public string? Manifest { get; init; }

    /// <summary>The build result for the import step and <c>/logs</c> (JSON text, composer-api.md §4.1: osbuild
    /// output, files with sizes and checksums, components); null when none.</summary>
    public string? Result { get; init; }

    /// <summary>A successful build.</summary>
    public static ImageBuildOutcome Succeeded(IReadOnlyList<UploadResult>? uploads = null, string? manifest = null, string? result = null) =>
        new() { Uploads = uploads ?? [], Manifest = manifest, Result = result };

    /// <summary>A failed build with its error.</summary>
    public static ImageBuildOutcome Failed(JobError error, IReadOnlyList<UploadResult>? uploads = null, string? manifest = null, string? result = null) =>
        new() { Error = error ?? throw new ArgumentNullException(nameof(error)), Uploads = uploads ?? [], Manifest = manifest, Result = result };
}
