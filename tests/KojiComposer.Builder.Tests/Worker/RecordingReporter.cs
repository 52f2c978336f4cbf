using KojiComposer.Contracts.Images;

namespace KojiComposer.Builder.Tests.Worker;

/// <summary>Keeps every report, in order.</summary>
internal sealed class RecordingReporter : IImageBuildReporter
{
    private readonly List<(ImageBuildPhase Phase, ImageProgress? Progress)> _reports = [];

    public IReadOnlyList<(ImageBuildPhase Phase, ImageProgress? Progress)> Reports
    {
        get
        {
            lock (_reports)
            {
                return [.. _reports];
            }
        }
    }

    public void Report(ImageBuildPhase phase, ImageProgress? progress = null)
    {
        lock (_reports)
        {
            _reports.Add((phase, progress));
        }
    }
}
