using KojiComposer.Builder.Osbuild;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;

namespace KojiComposer.Builder.Tests.Worker;

public sealed class OsbuildImageBuildStepTests : IDisposable
{
    private readonly StepHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task BuildAsync_SucceedsAndRemovesItsWorkDirectory_WhenTheImageIsBuilt()
    {
        var outcome = await _harness.BuildAsync(StepHarness.Request());

        Assert.True(outcome.Success);
        Assert.Equal(FakeManifestGenerator.Manifest, outcome.Manifest);
        var result = ImageBuildResult.FromJson(outcome.Result!);
        Assert.True(result.Success);
        Assert.Equal("success", result.UploadStatus);
        Assert.Equal("fedora-42", result.HostOs);
        Assert.Equal("191", result.OsbuildVersion);
        Assert.Equal("x86_64", result.Arch);
        Assert.Equal(["build"], result.PipelineNames!.Build);
        Assert.Equal(["os"], result.PipelineNames.Payload);
        Assert.Equal("result", (string?)result.OsbuildOutput!["type"]);
        Assert.Null(result.Koji); // no Koji build: nothing uploaded
        Assert.Empty(outcome.Uploads);
        Assert.Empty(_harness.LeftInWorkDirectory);
    }

    [Fact]
    public async Task BuildAsync_RunsOsbuildInAWorkDirectoryNamedAfterTheImage_WithTheCataloguesExport()
    {
        var request = StepHarness.Request() with { ImageIndex = 3 };

        await _harness.BuildAsync(request);

        var run = Assert.Single(_harness.Osbuild.Runs);
        Assert.Equal("qcow2", run.Export);
        Assert.Equal(FakeManifestGenerator.Manifest, run.Manifest);
        var workDirectory = Path.GetFileName(Path.GetDirectoryName(run.OutputDirectory)!);
        Assert.Matches($"^{request.ComposeId:D}-3-[0-9a-f]{{8}}$", workDirectory);
        Assert.StartsWith(_harness.WorkDirectory, run.OutputDirectory, StringComparison.Ordinal);
        var generated = Assert.Single(_harness.Generator.Requests);
        Assert.Equal(42, generated.Seed);
        Assert.Equal("qcow2", generated.ImageType.GeneratorType);
    }

    [Fact]
    public async Task BuildAsync_ReturnsFailedWithOsbuildsDocument_WhenAStageFails()
    {
        _harness.Osbuild.Failure = FakeOsbuildRunner.StageFailure();

        var outcome = await _harness.BuildAsync(StepHarness.Request());

        Assert.False(outcome.Success);
        Assert.Equal(JobErrorCodes.BuildJob, outcome.Error!.Id);
        Assert.Equal("osbuild build failed", outcome.Error.Reason);
        Assert.Equal(FakeManifestGenerator.Manifest, outcome.Manifest);
        var result = ImageBuildResult.FromJson(outcome.Result!);
        Assert.False(result.Success);
        Assert.Equal("failure", result.UploadStatus);
        Assert.Equal("error", (string?)result.OsbuildOutput!["type"]);
        Assert.Equal(10, (int)result.JobError!["id"]!);
        Assert.Equal("dnf: nothing provides kernel", (string?)result.JobError["details"]);
        Assert.Equal(["os"], result.PipelineNames!.Payload);
        Assert.Equal("191", result.OsbuildVersion);
        Assert.Equal("fedora-42", result.HostOs);
        Assert.Empty(_harness.LeftInWorkDirectory);
    }

    [Fact]
    public async Task BuildAsync_FailsWith10_WhenOsbuildExportsNoFile()
    {
        _harness.Osbuild.Export = (request, _) => Task.Run(() => Directory.CreateDirectory(Path.Combine(request.OutputDirectory, request.Export)));

        var outcome = await _harness.BuildAsync(StepHarness.Request());

        Assert.Equal(JobErrorCodes.BuildJob, outcome.Error!.Id);
        Assert.Equal("osbuild exported no file for qcow2/disk.qcow2 (qcow2/ is empty)", outcome.Error.Reason);
        Assert.NotNull(ImageBuildResult.FromJson(outcome.Result!).OsbuildOutput);
        Assert.Empty(_harness.LeftInWorkDirectory);
    }

    [Fact]
    public async Task BuildAsync_UsesTheExportsOnlyFile_WhenTheCataloguesFilenameIsMissing()
    {
        _harness.Osbuild.Export = (request, _) =>
            FakeOsbuildRunner.WriteAsync(Path.Combine(request.OutputDirectory, request.Export, "image.qcow2"), [1, 2, 3]);

        var outcome = await _harness.BuildAsync(StepHarness.Request());

        Assert.True(outcome.Success);
    }

    [Fact]
    public async Task BuildAsync_FailsWithInvalidConfigNamingTheCatalogue_WhenTheImageTypeIsNotCatalogued()
    {
        var outcome = await _harness.BuildAsync(StepHarness.Request(imageType: "vsphere"));

        Assert.Equal(JobErrorCodes.InvalidConfig, outcome.Error!.Id);
        Assert.Equal("image type vsphere on fedora-42 is not in this worker's image-type catalogue (the built-in catalogue)", outcome.Error.Reason);
        Assert.Empty(_harness.Osbuild.Runs);
        Assert.Empty(_harness.LeftInWorkDirectory);
    }

    [Fact]
    public async Task BuildAsync_ReturnsTheGeneratorsError_WhenTheManifestCannotBeMade()
    {
        var error = new JobError(JobErrorCodes.DepsolveDependency, "depsolve failed", "nothing provides kernel");
        _harness.Generator.Failure = new ComposeStepException(error);

        var outcome = await _harness.BuildAsync(StepHarness.Request());

        Assert.Equal(error, outcome.Error);
        Assert.Null(outcome.Manifest);
        Assert.Empty(_harness.Osbuild.Runs);
        Assert.Empty(_harness.LeftInWorkDirectory);
    }

    [Fact]
    public async Task BuildAsync_RethrowsATransientGeneratorError_AndStillRemovesItsWorkDirectory()
    {
        var error = new ComposeStepException(new JobError(JobErrorCodes.DepsolveDependency, "repository timed out"), isTransient: true);
        _harness.Generator.Failure = error;

        var thrown = await Assert.ThrowsAsync<ComposeStepException>(() => _harness.BuildAsync(StepHarness.Request()));

        Assert.Same(error, thrown);
        Assert.Empty(_harness.LeftInWorkDirectory);
    }

    [Fact]
    public async Task BuildAsync_ThrowsCanceledAndRemovesItsWorkDirectory_WhenCanceledDuringOsbuild()
    {
        _harness.Osbuild.WaitForCancel = true;
        using var cancel = new CancellationTokenSource();

        var build = _harness.BuildAsync(StepHarness.Request(), cancel.Token);
        await _harness.Osbuild.Started.Task;
        Assert.NotEmpty(_harness.LeftInWorkDirectory); // the build's directory exists while osbuild runs
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => build);
        Assert.Empty(_harness.LeftInWorkDirectory);
    }

    [Fact]
    public async Task BuildAsync_ReportsOsbuildsProgress_WhileBuilding()
    {
        await _harness.BuildAsync(StepHarness.Request());

        var progress = _harness.Reporter.Reports.Where(r => r.Progress is not null).ToArray();
        Assert.Equal([new ImageProgress(1, 3, "pipeline: build", 0, 4), new ImageProgress(2, 3, "pipeline: os", 3, 5)], progress.Select(p => p.Progress));
        Assert.All(_harness.Reporter.Reports, r => Assert.Equal(ImageBuildPhase.Building, r.Phase));
    }

    [Fact]
    public async Task BuildAsync_AsksOsbuildForItsVersionOnce_ForManyBuilds()
    {
        await _harness.BuildAsync(StepHarness.Request());
        var second = await _harness.BuildAsync(StepHarness.Request());

        Assert.Equal(1, _harness.Osbuild.VersionCalls);
        Assert.Equal("191", ImageBuildResult.FromJson(second.Result!).OsbuildVersion);
    }

    [Fact]
    public async Task BuildAsync_FailsWith10_WhenOsbuildCannotRun()
    {
        _harness.Osbuild.Export = (_, _) => throw new OsbuildUnavailableException("osbuild: not found on PATH");

        var outcome = await _harness.BuildAsync(StepHarness.Request());

        Assert.Equal(JobErrorCodes.BuildJob, outcome.Error!.Id);
        Assert.Equal("osbuild cannot run on this worker: osbuild: not found on PATH", outcome.Error.Reason);
        Assert.Empty(_harness.LeftInWorkDirectory);
    }
}
