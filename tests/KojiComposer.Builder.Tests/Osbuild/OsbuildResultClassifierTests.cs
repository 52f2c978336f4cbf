using System.Text.Json.Nodes;
using KojiComposer.Builder.Osbuild;

namespace KojiComposer.Builder.Tests.Osbuild;

public sealed class OsbuildResultClassifierTests
{
    [Fact]
    public void Classify_ConvertsAVersion1Result_ToPipelinesBuildOsAndAssembler()
    {
        const string v1 = """
            {"success": true, "tree_id": "t", "output_id": "o",
             "build": {"success": true, "stages": [{"name": "org.osbuild.rpm", "success": true, "output": "build rpms", "metadata": {"packages": [{"name": "bash"}]}}]},
             "stages": [{"name": "org.osbuild.rpm", "success": true, "output": "os rpms", "metadata": {"packages": [{"name": "kernel"}]}},
                        {"name": "org.osbuild.fix-bls", "success": true, "output": "", "metadata": null}],
             "assembler": {"name": "org.osbuild.qemu", "success": true, "output": "qemu-img convert"}}
            """;

        var result = OsbuildResultClassifier.Classify(0, v1, "");

        Assert.True(result.Success);
        var document = result.Document!;
        Assert.Equal("result", (string)document["type"]!);
        Assert.Equal(["build", "assembler", "os"], document["log"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["org.osbuild.rpm", "org.osbuild.fix-bls"], document["log"]!["os"]!.AsArray().Select(s => (string)s!["type"]!));
        Assert.Equal("kernel", (string)document["metadata"]!["os"]!["org.osbuild.rpm"]!["packages"]![0]!["name"]!);
        Assert.Equal("bash", (string)document["metadata"]!["build"]!["org.osbuild.rpm"]!["packages"]![0]!["name"]!);
        Assert.Null(document["metadata"]!["os"]!["org.osbuild.fix-bls"]);
        Assert.Null(document["metadata"]!["assembler"]);
    }

    [Fact]
    public void Classify_NamesTheFailedStage_WhenAVersion1ResultFailed()
    {
        const string v1 = """{"success": false, "stages": [{"name": "org.osbuild.rpm", "success": false, "output": "rpm: no space left"}]}""";

        var result = OsbuildResultClassifier.Classify(1, v1, "");

        Assert.Equal(OsbuildFailure.Stage, result.Failure);
        Assert.Equal("org.osbuild.rpm", (string)result.Error!.Details!["stage"]!);
        Assert.Equal("os", (string)result.Error.Details["pipeline"]!);
        Assert.Equal("rpm: no space left", (string)result.Error.Details["output"]!);
    }

    [Fact]
    public void Classify_IsAFailure_WhenOsbuildExitsZeroWithAnUnsuccessfulResult()
    {
        var result = OsbuildResultClassifier.Classify(0, """{"type": "result", "success": false, "log": {}}""", "");

        Assert.False(result.Success);
        Assert.Equal(OsbuildFailure.Infrastructure, result.Failure);
        Assert.Equal("osbuild build failed", result.Error!.Reason);
        Assert.Equal("osbuild exited with code 0 and reported success: false without naming a failed stage; it printed nothing else on stderr",
            (string)result.Error.Details!["message"]!);
    }

    [Fact]
    public void Classify_SaysWhichSignal_WhenOsbuildWasKilledWithoutOutput()
    {
        var result = OsbuildResultClassifier.Classify(137, "", "");

        Assert.Equal(OsbuildFailure.Infrastructure, result.Failure);
        Assert.Equal("osbuild did not return any output", result.Error!.Reason);
        Assert.Equal("osbuild was killed by signal 9 (exit code 137) and printed nothing on stdout; it printed nothing else on stderr", (string)result.Error.Details!);
    }

    [Fact]
    public void Classify_IsAFailure_WhenAKilledOsbuildHadPrintedASuccessfulResult()
    {
        var result = OsbuildResultClassifier.Classify(143, """{"type": "result", "success": true, "log": {}, "metadata": {}}""", "");

        Assert.Equal(OsbuildFailure.Infrastructure, result.Failure);
        Assert.Contains("killed by signal 15", (string)result.Error!.Details!["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_KeepsTheUnknownError_WhenTheErrorTypeIsNew()
    {
        var result = OsbuildResultClassifier.Classify(1, """{"type": "error", "success": false, "error": {"type": "org.osbuild.error.future", "details": "x"}}""", "");

        Assert.Equal(OsbuildFailure.Infrastructure, result.Failure);
        Assert.Equal("org.osbuild.error.future", (string)result.Error!.Details!["error"]!["type"]!);
        Assert.Contains("reported error org.osbuild.error.future", (string)result.Error.Details["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_GivesTheEndOfStderr_WhenStdoutIsNotJson()
    {
        var result = OsbuildResultClassifier.Classify(1, "Need --output-directory for --export\n", "warning: something\n");

        Assert.Equal("error decoding osbuild output", result.Error!.Reason);
        Assert.Equal("osbuild exited with code 1 and printed instead of a result document: Need --output-directory for --export; its stderr ends with:\nwarning: something",
            (string)result.Error.Details!);
        Assert.IsType<JsonValue>(result.Error.Details, exactMatch: false);
    }
}
