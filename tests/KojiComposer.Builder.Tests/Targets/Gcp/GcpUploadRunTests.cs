using System.Text.Json.Nodes;
using KojiComposer.Builder.Targets;
using KojiComposer.Builder.Targets.Gcp;
using KojiComposer.Config;
using KojiComposer.Contracts.Targets;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace KojiComposer.Builder.Tests.Targets.Gcp;

/// <summary>The target's decisions on a retried upload and on flaky polls, at its <see cref="IGcpCalls"/> seam (the
/// HTTP path is <see cref="GcpImageTargetTests"/>).</summary>
public sealed class GcpUploadRunTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kc-gcp-run-").FullName;
    private readonly ScriptedCalls _calls = new();

    [Fact]
    public async Task UploadAsync_WaitsForThePendingImageOfAnEarlierAttempt_WithoutUploadingAgain()
    {
        var upload = Upload();
        _calls.Images["composer-image"] = new GcpImage("composer-image", "PENDING", Ours(upload));
        _calls.PendingLooks = 2;

        var result = await Target().UploadAsync(upload, CancellationToken.None);

        Assert.Equal("composer-image", result["image_name"]!.ToString());
        Assert.Equal(["get-image", "get-image", "get-image"], _calls.Log);
    }

    [Fact]
    public async Task UploadAsync_DeletesTheFailedImageOfAnEarlierAttempt_AndMakesItAgain()
    {
        var upload = Upload();
        _calls.Images["composer-image"] = new GcpImage("composer-image", "FAILED", Ours(upload));

        await Target().UploadAsync(upload, CancellationToken.None);

        Assert.Equal(["get-image", "delete-image", "upload", "insert", "get-operation", "delete-object"], _calls.Log);
        Assert.Equal("READY", _calls.Images["composer-image"].Status);
    }

    [Fact]
    public async Task UploadAsync_KeepsPolling_WhenLookingAtTheOperationFailsTransientlyFourTimes()
    {
        _calls.OperationFailures = 4;

        var result = await Target().UploadAsync(Upload(), CancellationToken.None);

        Assert.Equal("composer-image", result["image_name"]!.ToString());
        Assert.Equal(5, _calls.Log.Count(l => l == "get-operation"));
    }

    [Fact]
    public async Task UploadAsync_FailsTransiently_KeepingTheImage_WhenLookingAtTheOperationFailsFiveTimes()
    {
        _calls.OperationFailures = 5;

        var e = await Assert.ThrowsAsync<TargetFailedException>(() => Target().UploadAsync(Upload(), CancellationToken.None));

        Assert.Equal(12, e.Code);
        Assert.True(e.IsTransient);
        Assert.Contains("HTTP 502: Bad Gateway", e.Message, StringComparison.Ordinal);
        Assert.Equal("delete-object", _calls.Log[^1]);
        Assert.DoesNotContain("delete-image", _calls.Log);
    }

    [Fact]
    public async Task UploadAsync_DeletesTheImageGcpBegan_WhenCanceledWhileTheInsertIsUnderway()
    {
        using var cancel = new CancellationTokenSource();
        _calls.CancelDuringInsert = cancel;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Target().UploadAsync(Upload(), cancel.Token));

        Assert.Equal(["get-image", "upload", "insert", "get-image", "delete-image", "delete-object"], _calls.Log);
        Assert.Empty(_calls.Images);
    }

    [Fact]
    public async Task UploadAsync_LeavesAnImageOfAnotherUpload_WhenCanceledWhileTheInsertIsUnderway()
    {
        using var cancel = new CancellationTokenSource();
        _calls.CancelDuringInsert = cancel;
        _calls.ForeignLabels = new Dictionary<string, string> { [GcpNames.UploadLabel] = "0123456789abcdef0123456789abcdef" };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Target().UploadAsync(Upload(), cancel.Token));

        Assert.DoesNotContain("delete-image", _calls.Log);
        Assert.True(_calls.Images.ContainsKey("composer-image"));
    }

    [Fact]
    public async Task UploadAsync_FailsWithInvalidTargetConfig_WhenNoProjectIsKnown()
    {
        _calls.Project = null;

        var e = await Assert.ThrowsAsync<TargetFailedException>(() => Target(projectId: null).UploadAsync(Upload(), CancellationToken.None));

        Assert.Equal(2, e.Code);
        Assert.Contains("project_id", e.Message, StringComparison.Ordinal);
        Assert.Empty(_calls.Log);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Dictionary<string, string> Ours(TargetUpload upload) => new() { [GcpNames.UploadLabel] = GcpNames.UploadToken(upload.GeneratedName) };

    private GcpImageTarget Target(string? projectId = "p") => new(
        new TargetsOptions { Gcp = new GcpTargetOptions { Bucket = "b", ProjectId = projectId, PollInterval = TimeSpan.FromMilliseconds(1) } },
        NullLogger<GcpImageTarget>.Instance,
        (_, _) => Task.FromResult<IGcpCalls>(_calls));

    private TargetUpload Upload()
    {
        var artifact = Path.Combine(_directory, "image.tar.gz");
        File.WriteAllBytes(artifact, [1, 2, 3]);
        return new TargetUpload
        {
            ComposeId = Guid.NewGuid(),
            Image = "image 0",
            Distribution = "fedora-42",
            Arch = "aarch64",
            ImageType = "gcp",
            ArtifactPath = artifact,
            ExportFilename = "image.tar.gz",
            Options = new GcpUploadOptions("us-east1", null, "composer-image", []),
            GeneratedName = "composer-api-" + Guid.NewGuid().ToString("D"),
            Progress = new Progress<KojiComposer.Contracts.Images.ImageProgress>(),
            WorkDirectory = _directory,
        };
    }

    /// <summary>GCP in memory: an insert is DONE at the first look, a pending image READY after
    /// <see cref="PendingLooks"/> looks; <see cref="OperationFailures"/> operation looks fail with 502 first.</summary>
    private sealed class ScriptedCalls : IGcpCalls
    {
        public List<string> Log { get; } = [];

        public Dictionary<string, GcpImage> Images { get; } = [];

        public int PendingLooks { get; set; }

        public int OperationFailures { get; set; }

        /// <summary>When set, an insert makes the image, then cancels this source and throws as a canceled request does
        /// (the answer never arrives).</summary>
        public CancellationTokenSource? CancelDuringInsert { get; set; }

        /// <summary>When set, an inserted image gets these labels instead (another upload's image of that name).</summary>
        public Dictionary<string, string>? ForeignLabels { get; set; }

        public string? CredentialProject => Project;

        public string? Project { get; set; } = "p";

        public Task UploadObjectAsync(string bucket, string objectName, string path, IReadOnlyDictionary<string, string> metadata, IProgress<long> progress, CancellationToken cancellationToken)
        {
            Log.Add("upload");
            return Task.CompletedTask;
        }

        public Task<bool> DeleteObjectAsync(string bucket, string objectName, CancellationToken cancellationToken)
        {
            Log.Add("delete-object");
            return Task.FromResult(true);
        }

        public Task<GcpImage?> GetImageAsync(string project, string name, CancellationToken cancellationToken)
        {
            Log.Add("get-image");
            if (Images.TryGetValue(name, out var image) && image.Status == "PENDING" && PendingLooks-- <= 0)
            {
                Images[name] = image = image with { Status = "READY" };
            }

            return Task.FromResult(image);
        }

        public Task<GcpOperation> InsertImageAsync(string project, JsonObject image, CancellationToken cancellationToken)
        {
            Log.Add("insert");
            var labels = image["labels"]!.AsObject().ToDictionary(l => l.Key, l => l.Value!.ToString());
            Images[image["name"]!.ToString()] = new GcpImage(image["name"]!.ToString(), "READY", ForeignLabels ?? labels);
            if (CancelDuringInsert is { } cancel)
            {
                cancel.Cancel();
                cancellationToken.ThrowIfCancellationRequested();
            }

            return Task.FromResult(new GcpOperation("op-insert", false, null));
        }

        public Task<GcpOperation> DeleteImageAsync(string project, string name, CancellationToken cancellationToken)
        {
            Log.Add("delete-image");
            Images.Remove(name);
            return Task.FromResult(new GcpOperation("op-delete", true, null));
        }

        public Task<GcpOperation> GetOperationAsync(string project, string name, CancellationToken cancellationToken)
        {
            Log.Add("get-operation");
            return OperationFailures-- > 0
                ? throw new GcpApiException(502, "HTTP 502: Bad Gateway", true)
                : Task.FromResult(new GcpOperation(name, true, null));
        }

        public Task<JsonObject> GetImageIamPolicyAsync(string project, string name, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<JsonObject> SetImageIamPolicyAsync(string project, string name, JsonObject policy, CancellationToken cancellationToken) => throw new NotSupportedException();

        public void Dispose()
        {
        }
    }
}
