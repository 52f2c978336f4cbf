using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;

namespace KojiComposer.Scheduler.Engine;

/// <summary>The image step of a process whose builder role has no build implementation: every image fails with
/// InvalidConfig (17), saying so, rather than hanging.</summary>
internal sealed class UnavailableImageBuildStep : IImageBuildStep
{
    public Task<ImageBuildOutcome> BuildAsync(ImageBuildRequest request, IImageBuildReporter reporter, CancellationToken cancellationToken) =>
        Task.FromResult(ImageBuildOutcome.Failed(new JobError(JobErrorCodes.InvalidConfig,
            $"this worker has no image build step configured for {request.Arch} {request.ImageType}")));
}
