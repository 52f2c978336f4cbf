namespace KojiComposer.Contracts.Images;

/// <summary>
/// Builds one image: manifest, osbuild, uploads. The builder implements it; the scheduler calls it on a worker of the
/// image's architecture, at most once at a time per image, and renews the image's lease while it runs.
/// </summary>
public interface IImageBuildStep
{
    /// <summary>Builds the image described by <paramref name="request"/>.</summary>
    /// <param name="request">What to build.</param>
    /// <param name="reporter">Where to report phase and progress while building.</param>
    /// <param name="cancellationToken">Signalled when the compose is canceled or the worker shuts down; the build
    /// must stop promptly (kill osbuild and its children) and throw <see cref="OperationCanceledException"/>.</param>
    /// <returns>The outcome; a failed build returns <see cref="ImageBuildOutcome.Failed"/>.</returns>
    /// <exception cref="Errors.ComposeStepException">The build cannot be done now; <c>IsTransient</c> says whether a
    /// later retry may succeed.</exception>
    Task<ImageBuildOutcome> BuildAsync(ImageBuildRequest request, IImageBuildReporter reporter, CancellationToken cancellationToken);
}
