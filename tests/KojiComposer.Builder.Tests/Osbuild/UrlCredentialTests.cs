using System.Text.Json.Nodes;
using KojiComposer.Builder.Osbuild;

namespace KojiComposer.Builder.Tests.Osbuild;

/// <summary>Repository and proxy URLs may carry credentials; osbuild quotes them in stage and source output.</summary>
public sealed class UrlCredentialTests
{
    // Unescaped, as a user reads the error (the default escapes <, > and quotes).
    private static readonly System.Text.Json.JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const string Url = "https://koji:s3cr3t-p@ss@cdn.example.com/rhel-9/Packages/b/bash.rpm";

    [Fact]
    public void Classify_MasksUrlCredentials_InASourceFailure()
    {
        var stdout = new JsonObject
        {
            ["type"] = "error", ["success"] = false,
            ["error"] = new JsonObject
            {
                ["type"] = "org.osbuild.error.source",
                ["details"] = new JsonObject { ["source"] = new JsonObject { ["type"] = "org.osbuild.curl", ["output"] = $"curl: (22) 404 for {Url}\n" } },
            },
            ["sources"] = new JsonObject { ["org.osbuild.curl"] = new JsonArray(new JsonObject { ["checksum"] = "sha256:1", ["error"] = $"fetching {Url} failed" }) },
        }.ToJsonString();

        var result = OsbuildResultClassifier.Classify(1, stdout, $"proxy {Url} refused");

        var shown = result.Error!.ToJson().ToJsonString(Readable);
        Assert.DoesNotContain("s3cr3t", shown, StringComparison.Ordinal);
        Assert.Contains("https://<redacted>@cdn.example.com/rhel-9/Packages/b/bash.rpm", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", result.InfrastructureLog, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_MasksUrlCredentials_InTheStderrTailOfAHostCrash()
    {
        var result = OsbuildResultClassifier.Classify(1, "", $"Traceback (most recent call last):\nosbuild.host.RemoteError: cannot reach {Url}\n");

        Assert.Equal(OsbuildFailure.Infrastructure, result.Failure);
        Assert.DoesNotContain("s3cr3t", result.Error!.ToJson().ToJsonString(Readable), StringComparison.Ordinal);
        Assert.Contains("cdn.example.com", result.Error.ToJson().ToJsonString(Readable), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MasksUrlCredentials_InStageOutput()
    {
        var document = new JsonObject
        {
            ["log"] = new JsonObject { ["os"] = new JsonArray(new JsonObject { ["type"] = "org.osbuild.rpm", ["output"] = $"downloading {Url}" }) },
        };

        var log = OsbuildLog.Render(document);

        Assert.Equal("Pipeline: os\nStage: org.osbuild.rpm\nOutput:\ndownloading https://<redacted>@cdn.example.com/rhel-9/Packages/b/bash.rpm\n\n", log);
    }

    [Fact]
    public void Render_LeavesAnAtSignInAPathAlone()
    {
        var document = new JsonObject
        {
            ["log"] = new JsonObject { ["os"] = new JsonArray(new JsonObject { ["type"] = "org.osbuild.rpm", ["output"] = "https://cdn.example.com/user@example/x.rpm" }) },
        };

        Assert.Contains("https://cdn.example.com/user@example/x.rpm", OsbuildLog.Render(document), StringComparison.Ordinal);
    }
}
