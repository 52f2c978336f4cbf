using System.Text.Json.Nodes;
using KojiComposer.Builder.Targets.Container;
using KojiComposer.Builder.Tests.Worker;
using KojiComposer.Config;
using KojiComposer.Contracts.Errors;
using KojiComposer.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace KojiComposer.Builder.Tests.Targets.Container;

/// <summary>The container target inside the build step (fake osbuild, real skopeo and registry): what reaches
/// <c>upload_status</c>, and error 28 around a failed push.</summary>
[Collection(ContainerCollection.Name)]
public sealed class ContainerTargetStepTests(OciTestImage image)
{
    [Fact]
    public async Task BuildAsync_ReportsTheRegistryUrlAndDigest_WhenThePushSucceeds()
    {
        var repository = ContainerTargetRig.UniqueRepository("step");
        using var harness = Harness();
        var request = Request(new JsonObject { ["name"] = $"{TestStack.Registry}/{repository}", ["tag"] = "42" });

        var outcome = await harness.BuildAsync(request);

        Assert.True(outcome.Success, outcome.Error?.Reason);
        var upload = Assert.Single(outcome.Uploads);
        Assert.Equal("container", upload.Type);
        Assert.True(upload.Success);
        Assert.Equal($"{TestStack.Registry}/{repository}:42", upload.Options["url"]!.GetValue<string>());
        Assert.Equal(await ContainerTargetRig.ServedDigestAsync(TestStack.Registry, repository, "42"), upload.Options["digest"]!.GetValue<string>());
        Assert.Empty(harness.LeftInWorkDirectory);
    }

    [Fact]
    public async Task BuildAsync_FailsTheImageWithTargetError_WhenTheNameNeedsADomain()
    {
        using var harness = Harness();

        var outcome = await harness.BuildAsync(Request([]));

        Assert.Equal(JobErrorCodes.TargetError, outcome.Error!.Id);
        var detail = Assert.Single(outcome.Error.Details!.AsArray());
        Assert.Equal(JobErrorCodes.InvalidTargetConfig, detail!["id"]!.GetValue<int>());
        Assert.Equal("org.osbuild.container", detail["details"]!.GetValue<string>());
        Assert.False(Assert.Single(outcome.Uploads).Success);
    }

    private StepHarness Harness()
    {
        var options = new TargetsOptions { RetryDelay = TimeSpan.Zero, MaxAttempts = 1, Container = ContainerTargetRig.Plain() };
        var harness = new StepHarness(targets: [new ContainerTarget(options, NullLogger<ContainerTarget>.Instance)], targetOptions: options);
        harness.Osbuild.Export = (request, _) => FakeOsbuildRunner.WriteAsync(Path.Combine(request.OutputDirectory, request.Export, "disk.qcow2"), File.ReadAllBytes(image.Archive));
        return harness;
    }

    private static Contracts.Images.ImageBuildRequest Request(JsonObject uploadOptions)
    {
        var request = StepHarness.Request();
        request.ImageRequest["upload_targets"] = new JsonArray { new JsonObject { ["type"] = "container", ["upload_options"] = uploadOptions } };
        return request;
    }
}
