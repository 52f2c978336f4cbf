using KojiComposer.Builder.Targets;
using KojiComposer.Builder.Targets.Container;
using KojiComposer.Config;
using KojiComposer.Contracts.Errors;

namespace KojiComposer.Builder.Tests.Targets.Container;

/// <summary>Which reference a push goes to (cloud-targets.md §6), without a registry.</summary>
public sealed class ContainerReferenceTests
{
    private const string Uuid = "0b9f5e3c-2c1d-4f7a-9a51-6f1e2d3c4b5a";

    [Theory]
    [InlineData("localhost/edge", "1", "localhost/edge:1")]
    [InlineData("localhost:5000/edge", "1", "localhost:5000/edge:1")]
    [InlineData("quay.io/org/edge", "41", "quay.io/org/edge:41")]
    [InlineData("10.0.0.1:5000/a/b/c", "v1.0_rc-1", "10.0.0.1:5000/a/b/c:v1.0_rc-1")]
    [InlineData("org/edge", "1", "registry.example.com/koji/org/edge:1")]
    [InlineData("edge", null, "registry.example.com/koji/edge:" + Uuid)]
    [InlineData("my_org/edge__os", "1", "registry.example.com/koji/my_org/edge__os:1")]
    public void For_UsesTheNamesHost_OrDomainAndPathPrefix(string name, string? tag, string expected)
    {
        var options = new ContainerTargetOptions { Domain = "registry.example.com", PathPrefix = "koji" };

        Assert.Equal(expected, ContainerReference.For(Upload(name, tag), options).ToString());
    }

    [Fact]
    public void For_IgnoresTheTag_WhenNoNameIsGiven()
    {
        var reference = ContainerReference.For(Upload(null, "latest"), new ContainerTargetOptions { Domain = "registry.example.com" });

        Assert.Equal($"registry.example.com/fedora-41:{Uuid}", reference.ToString());
    }

    [Fact]
    public void For_UsesTheWholeGeneratedName_WhenItEndsInNoUuid()
    {
        var reference = ContainerReference.For(Upload("edge", null, "custom-name"), new ContainerTargetOptions { Domain = "registry.example.com" });

        Assert.Equal("custom-name", reference.Tag);
    }

    [Fact]
    public void For_FailsWithConfig_WhenADomainIsNeededButMissing()
    {
        var e = Assert.Throws<TargetFailedException>(() => ContainerReference.For(Upload("org/edge", "1"), new ContainerTargetOptions()));

        Assert.Equal(JobErrorCodes.InvalidTargetConfig, e.Code);
        Assert.Contains("\"org/edge\" names no registry", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void For_FailsWithConfigNamingTheDomain_WhenTheDomainIsNoRegistryHost()
    {
        var e = Assert.Throws<TargetFailedException>(() =>
            ContainerReference.For(Upload("edge", "1"), new ContainerTargetOptions { Domain = "https://registry.example.com" }));

        Assert.Equal(JobErrorCodes.InvalidTargetConfig, e.Code);
        Assert.Contains("[builder.targets.container] domain \"https://registry.example.com\" is not a registry host", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void For_RefusesAnOverlongRepository()
    {
        var e = Assert.Throws<TargetFailedException>(() =>
            ContainerReference.For(Upload("registry.example.com/" + new string('a', 256), "1"), new ContainerTargetOptions()));

        Assert.Equal(TargetFailedException.InvalidTarget, e.Code);
    }

    private static TargetUpload Upload(string? name, string? tag, string? generated = null) => new()
    {
        ComposeId = Guid.NewGuid(),
        Image = "image 0",
        Distribution = "fedora-41",
        Arch = "x86_64",
        ImageType = "iot-container",
        ArtifactPath = "/nonexistent/container.tar",
        ExportFilename = "container.tar",
        Options = new Contracts.Targets.ContainerUploadOptions(name, tag),
        GeneratedName = generated ?? "composer-api-" + Uuid,
        Progress = new Progress<Contracts.Images.ImageProgress>(),
        WorkDirectory = "/nonexistent",
    };
}
