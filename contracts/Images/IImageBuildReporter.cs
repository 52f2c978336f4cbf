namespace KojiComposer.Contracts.Images;

/// <summary>
/// What a running image build tells the scheduler. Calls are cheap to make often: the scheduler keeps the latest
/// report and writes it to the store at most every few seconds.
/// </summary>
public interface IImageBuildReporter
{
    /// <summary>Reports the build's phase and, when known, its progress.</summary>
    void Report(ImageBuildPhase phase, ImageProgress? progress = null);
}
