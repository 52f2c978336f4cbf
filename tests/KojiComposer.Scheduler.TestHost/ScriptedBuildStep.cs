using System.Collections.Concurrent;
using KojiComposer.Contracts.Images;

namespace KojiComposer.Scheduler.TestHost;

/// <summary>
/// The image build step of engine tests: what it does per image comes from <see cref="Behavior"/>; it records every
/// run and the largest number of simultaneous runs of one image (which must never exceed one).
/// </summary>
public sealed class ScriptedBuildStep : IImageBuildStep
{
    private readonly ConcurrentDictionary<(Guid, int), int> _running = new();
    private int _maxConcurrentSameImage;

    public ScriptedBuildStep(string worker = "test")
    {
        Worker = worker;
    }

    public string Worker { get; }

    /// <summary>What a run does; the default succeeds at once with a Koji upload result.</summary>
    public Func<ImageBuildRequest, IImageBuildReporter, CancellationToken, Task<ImageBuildOutcome>> Behavior { get; set; } =
        (_, reporter, _) =>
        {
            reporter.Report(ImageBuildPhase.Uploading, new ImageProgress(3, 3, "upload"));
            return Task.FromResult(ImageBuildOutcome.Succeeded([new UploadResult("koji", true, [])], "{\"version\":\"2\"}", "{\"success\":true}"));
        };

    public ConcurrentQueue<(Guid Compose, int Image, string Worker)> Runs { get; } = new();

    public ConcurrentQueue<(Guid Compose, int Image)> Canceled { get; } = new();

    public int MaxConcurrentSameImage => Volatile.Read(ref _maxConcurrentSameImage);

    public int RunsOf(Guid compose, int image) => Runs.Count(r => r.Compose == compose && r.Image == image);

    public async Task<ImageBuildOutcome> BuildAsync(ImageBuildRequest request, IImageBuildReporter reporter, CancellationToken cancellationToken)
    {
        var key = (request.ComposeId, request.ImageIndex);
        Runs.Enqueue((request.ComposeId, request.ImageIndex, Worker));
        var now = _running.AddOrUpdate(key, 1, (_, n) => n + 1);
        InterlockedMax(ref _maxConcurrentSameImage, now);
        try
        {
            return await Behavior(request, reporter, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Canceled.Enqueue(key);
            throw;
        }
        finally
        {
            _running.AddOrUpdate(key, 0, (_, n) => n - 1);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
