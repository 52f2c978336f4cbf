using System.Text.Json.Nodes;
using KojiComposer.Builder.Targets;
using KojiComposer.Contracts.Images;

namespace KojiComposer.Builder.Tests.Targets;

/// <summary>A target that runs a script of answers, one per call, and records what it was given.</summary>
internal sealed class FakeTarget(string type, params Func<TargetUpload, CancellationToken, Task<JsonObject>>[] answers) : IUploadTarget
{
    private readonly List<TargetUpload> _calls = [];

    public string Type { get; } = type;

    public IReadOnlyList<TargetUpload> Calls => _calls;

    public IReadOnlyList<string> Problems { get; init; } = [];

    public IReadOnlyList<string> CheckConfiguration() => Problems;

    /// <summary>How often the step abandoned an upload (canceled while waiting to retry).</summary>
    public int Abandoned { get; private set; }

    public Task AbandonAsync(TargetUpload upload)
    {
        Abandoned++;
        return Task.CompletedTask;
    }

    public Task<JsonObject> UploadAsync(TargetUpload upload, CancellationToken cancellationToken)
    {
        _calls.Add(upload);
        var answer = answers[Math.Min(_calls.Count, answers.Length) - 1];
        return answer(upload, cancellationToken);
    }

    public static Func<TargetUpload, CancellationToken, Task<JsonObject>> Returns(JsonObject result) => (upload, _) =>
    {
        upload.Progress.Report(new ImageProgress(1, 2, $"{upload.Options.GetType().Name}: halfway"));
        return Task.FromResult(result.DeepClone().AsObject());
    };

    public static Func<TargetUpload, CancellationToken, Task<JsonObject>> Throws(TargetFailedException failure) => (_, _) => throw failure;

    public static Func<TargetUpload, CancellationToken, Task<JsonObject>> WaitsForCancel() => async (_, token) =>
    {
        await Task.Delay(Timeout.Infinite, token);
        return [];
    };
}
