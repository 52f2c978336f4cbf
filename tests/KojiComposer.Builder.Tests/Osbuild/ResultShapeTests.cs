using System.Text.Json.Nodes;
using KojiComposer.Builder.Osbuild;
using KojiComposer.Contracts.Images;

namespace KojiComposer.Builder.Tests.Osbuild;

/// <summary>Result documents of shapes osbuild 191 does not print: a classified failure, never an escaping exception.</summary>
public sealed class ResultShapeTests
{
    // Unescaped, as a user reads the error (the default escapes <, > and quotes).
    private static readonly System.Text.Json.JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Theory]
    [InlineData("""{"type": "error", "success": false, "error": "the store is locked"}""", "the store is locked")]
    [InlineData("""{"type": "error", "success": false, "error": {"type": "org.osbuild.error.stage", "details": "rpm stage broke"}, "log": {"os": [{"id": "1", "type": "org.osbuild.rpm", "output": "rpm: broke", "success": false}]}}""", "rpm: broke")]
    [InlineData("""{"type": "error", "success": false, "error": {"type": "org.osbuild.error.source", "details": {"source": "org.osbuild.curl"}}, "sources": ["x"]}""", "unknown source")]
    [InlineData("""{"type": "https://osbuild.org/validation-error", "title": "JSON Schema validation failed", "success": false, "errors": ["'version' is wrong", {"path": "pipelines", "message": "bad"}]}""", "'version' is wrong")]
    public void Classify_IsABuildFailureNamingWhatItCan_WhenTheDocumentHasAnUnexpectedShape(string stdout, string shown)
    {
        var result = OsbuildResultClassifier.Classify(1, stdout, "");

        Assert.False(result.Success);
        Assert.Equal(10, result.Error!.Id);
        Assert.Contains(shown, result.Error.ToJson().ToJsonString(Readable), StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_ConvertsAVersion1Result_WhoseBuildIsNotAnObject()
    {
        var result = OsbuildResultClassifier.Classify(0, """{"success": true, "build": "none", "stages": [{"name": "org.osbuild.rpm", "success": true, "output": "ok"}]}""", "");

        Assert.True(result.Success);
        Assert.Equal(["os"], result.Document!["log"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Split_NamesTheEntry_WhenAPackageIsNotAnObject()
    {
        var document = JsonNode.Parse("""{"metadata": {"os": {"org.osbuild.rpm": {"packages": ["bash-5.2-1.x86_64"]}}}}""")!.AsObject();

        var error = Assert.Throws<FormatException>(() => OsbuildPackages.Split(document, new PipelineNames(["build"], ["os"])));

        Assert.Contains("metadata.os.org.osbuild.rpm.packages[0]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_SkipsAPipeline_WhoseMetadataIsNotAnObject()
    {
        var document = JsonNode.Parse("""{"metadata": {"build": ["org.osbuild.rpm"], "os": {"org.osbuild.rpm": "none"}}}""")!.AsObject();

        var (buildroot, image) = OsbuildPackages.Split(document, new PipelineNames(["build"], ["os"]));

        Assert.Empty(buildroot);
        Assert.Empty(image);
    }

    [Fact]
    public void Split_GivesNoEpoch_WhenOsbuildReportsAnEmptyOne()
    {
        var document = JsonNode.Parse("""{"metadata": {"os": {"org.osbuild.rpm": {"packages": [{"name": "bash", "version": "5.2", "release": "1", "epoch": "", "arch": "x86_64"}]}}}}""")!.AsObject();

        var (_, image) = OsbuildPackages.Split(document, new PipelineNames([], ["os"]));

        Assert.Null(image.Single().Epoch);
    }
}
