using KojiComposer.Builder.Osbuild;
using KojiComposer.Contracts.Errors;

namespace KojiComposer.Builder.Tests.Osbuild;

public sealed class OsbuildRunnerFailureTests : IDisposable
{
    private readonly OsbuildStandinRun _run = new();

    public void Dispose() => _run.Dispose();

    [Fact]
    public async Task RunAsync_NamesTheFailedStageAndItsOutput_WhenAStageFails()
    {
        var result = await _run.RunAsync(_run.Request("stage-failure"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(OsbuildFailure.Stage, result.Failure);
        Assert.Equal(JobErrorCodes.BuildJob, result.Error!.Id);
        Assert.Equal("osbuild build failed", result.Error.Reason);
        var details = result.Error.Details!.AsObject();
        Assert.Equal("org.osbuild.rpm", (string)details["stage"]!);
        Assert.Equal("os", (string)details["pipeline"]!);
        Assert.Equal(64, ((string)details["id"]!).Length);
        Assert.Contains("Transaction test error", (string)details["output"]!, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_run.OutputDirectory, "qcow2", "disk.qcow2")));
    }

    [Fact]
    public async Task RunAsync_NamesTheSourceAndItsOutput_WhenADownloadFails()
    {
        var result = await _run.RunAsync(_run.Request("source-failure"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(OsbuildFailure.Source, result.Failure);
        Assert.Equal("osbuild build failed", result.Error!.Reason);
        var details = result.Error.Details!.AsObject();
        Assert.Equal("org.osbuild.curl", (string)details["source"]!);
        Assert.Contains("checksum mismatch", (string)details["output"]!, StringComparison.Ordinal);
        Assert.Equal("checksum mismatch", (string)details["items"]![0]!["error"]!);
    }

    [Fact]
    public async Task RunAsync_ListsTheValidationErrors_WhenTheManifestIsInvalid()
    {
        var result = await _run.RunAsync(_run.Request("invalid-manifest"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(OsbuildFailure.InvalidManifest, result.Failure);
        Assert.Equal(JobErrorCodes.BuildJob, result.Error!.Id);
        Assert.Equal(
            ["pipelines.[1].stages.[0].options: Additional properties are not allowed ('bogus' was unexpected)",
             "pipelines.[0].stages.[0].inputs: 'packages' is a required property"],
            result.Error.Details!.AsArray().Select(e => (string)e!));
        Assert.Equal("https://osbuild.org/validation-error", (string)result.Document!["type"]!);
    }

    [Fact]
    public async Task RunAsync_ReportsAnInvalidManifest_WhenTheManifestFormatIsUnsupported()
    {
        var result = await _run.RunAsync(_run.Request(manifest: """{"version": "1", "pipeline": {}}"""));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(OsbuildFailure.InvalidManifest, result.Failure);
        Assert.Null(result.Document);
        Assert.Contains("Unsupported manifest format", (string)result.Error!.Details!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ReportsAnInfrastructureFailureWithTheTraceback_WhenOsbuildCrashesOnTheHost()
    {
        var result = await _run.RunAsync(_run.Request("host-crash"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(OsbuildFailure.Infrastructure, result.Failure);
        Assert.Null(result.Document);
        Assert.Equal("osbuild did not return any output", result.Error!.Reason);
        var details = (string)result.Error.Details!;
        Assert.Contains("exited with code 1", details, StringComparison.Ordinal);
        Assert.Contains("osbuild.host.RemoteError: FileNotFoundError", details, StringComparison.Ordinal);
        Assert.StartsWith("Traceback (most recent call last):", result.InfrastructureLog, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001e", result.InfrastructureLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ReportsUndecodableOutput_WhenTheExportIsUnknown()
    {
        var result = await _run.RunAsync(_run.Request(export: "vmdk"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(OsbuildFailure.Infrastructure, result.Failure);
        Assert.Equal("error decoding osbuild output", result.Error!.Reason);
        Assert.Contains("Export vmdk not found in ['build', 'os', 'image', 'qcow2']", (string)result.Error.Details!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Throws_WhenOsbuildIsMissing()
    {
        _run.Settings = _run.Settings with { Osbuild = Path.Combine(_run.Directory, "no-osbuild") };

        var error = await Assert.ThrowsAsync<OsbuildUnavailableException>(() => _run.RunAsync(_run.Request()));

        Assert.Contains(Path.Combine(_run.Directory, "no-osbuild") + " does not exist", error.Message, StringComparison.Ordinal);
    }
}
