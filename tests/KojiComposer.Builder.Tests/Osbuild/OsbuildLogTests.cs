using System.Text.Json.Nodes;
using KojiComposer.Builder.Osbuild;

namespace KojiComposer.Builder.Tests.Osbuild;

public sealed class OsbuildLogTests
{
    [Fact]
    public void Render_WritesPipelinesSortedByNameWithStagesOutputsAndMetadata()
    {
        var document = JsonNode.Parse("""
            {"type": "result", "success": true,
             "log": {"os": [{"id": "1", "type": "org.osbuild.rpm", "output": "Installing bash\nInstalling <kernel> & more"},
                            {"id": "2", "type": "org.osbuild.hostname", "output": ""}],
                     "build": [{"id": "3", "type": "org.osbuild.rpm", "output": "build root"}]},
             "metadata": {"os": {"org.osbuild.rpm": {"packages": [{"name": "bash", "epoch": null}]}}}}
            """)!.AsObject();

        Assert.Equal("""
            Pipeline: build
            Stage: org.osbuild.rpm
            Output:
            build root

            Pipeline: os
            Stage: org.osbuild.rpm
            Output:
            Installing bash
            Installing <kernel> & more
            Metadata:
            {
              "packages": [
                {
                  "name": "bash",
                  "epoch": null
                }
              ]
            }

            Stage: org.osbuild.hostname
            Output:



            """, OsbuildLog.Render(document));
    }

    [Fact]
    public void Render_ListsValidationErrorsFirst_AndSaysTheResultIsEmpty_WhenThereIsNoLog()
    {
        var document = JsonNode.Parse("""
            {"type": "https://osbuild.org/validation-error", "title": "JSON Schema validation failed", "success": false,
             "errors": [{"message": "'packages' is a required property", "path": ["pipelines", 0, "stages", 2, "inputs"]},
                        {"message": "top-level problem", "path": []}]}
            """)!.AsObject();

        Assert.Equal("""
            Error JSON Schema validation failed
            pipelines.[0].stages.[2].inputs: 'packages' is a required property
            : top-level problem
            The compose result is empty.

            """, OsbuildLog.Render(document));
    }

    [Fact]
    public void Render_SaysTheResultIsEmpty_WhenThereIsNoDocument()
    {
        Assert.Equal("The compose result is empty.\n", OsbuildLog.Render(null));
    }

    [Fact]
    public void Render_WritesNothing_WhenTheLogHasNoPipelines()
    {
        Assert.Equal("", OsbuildLog.Render(JsonNode.Parse("""{"type": "error", "success": false, "log": {}}""")!.AsObject()));
    }
}
