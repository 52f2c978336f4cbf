using System.Text.Json.Nodes;
using KojiComposer.Builder.Osbuild;
using KojiComposer.Contracts.Images;

namespace KojiComposer.Builder.Tests.Osbuild;

public sealed class OsbuildPackagesTests
{
    private static readonly JsonObject Document = JsonNode.Parse("""
        {"type": "result", "success": true, "metadata": {
          "build": {"org.osbuild.rpm": {"packages": [
            {"name": "bash", "version": "5.2.37", "release": "1.fc42", "epoch": null, "arch": "x86_64", "sigmd5": "aa", "sigpgp": null, "siggpg": "gpg-bash"},
            {"name": "coreutils", "version": "9.6", "release": "2.fc42", "epoch": null, "arch": "x86_64", "sigmd5": "bb", "sigpgp": "pgp-coreutils", "siggpg": ""},
            {"name": "bash", "version": "5.2.37", "release": "1.fc42", "epoch": null, "arch": "x86_64", "sigmd5": "aa", "sigpgp": null, "siggpg": "gpg-bash"}]}},
          "os": {"org.osbuild.rpm": {"packages": [
            {"name": "qemu-img", "version": "9.2.0", "release": "1.fc42", "epoch": "2", "arch": "x86_64", "sigmd5": "cc", "sigpgp": null, "siggpg": null},
            {"name": "bash", "version": "5.2.37", "release": "1.fc42", "epoch": null, "arch": "x86_64", "sigmd5": "aa", "sigpgp": null, "siggpg": "gpg-bash"}]},
                 "org.osbuild.hostname": {}},
          "os-extra": {"org.osbuild.rpm": {"packages": [
            {"name": "qemu-img", "version": "9.2.0", "release": "1.fc42", "epoch": "2", "arch": "x86_64", "sigmd5": "cc", "sigpgp": null, "siggpg": null},
            {"name": "qemu-img", "version": "9.2.0", "release": "1.fc42", "epoch": null, "arch": "x86_64", "sigmd5": "dd", "sigpgp": null, "siggpg": null}]}},
          "image": {"org.osbuild.truncate": {}}}}
        """)!.AsObject();

    [Fact]
    public void Split_PutsBuildPipelinePackagesInTheBuildrootAndPayloadPackagesInTheImage()
    {
        var (buildroot, image) = OsbuildPackages.Split(Document, new PipelineNames(["build"], ["os", "os-extra", "image"]));

        Assert.Equal(
            [new RpmComponent("bash", "5.2.37", "1.fc42", null, "x86_64", "aa", "gpg-bash"),
             new RpmComponent("coreutils", "9.6", "2.fc42", null, "x86_64", "bb", "pgp-coreutils")],
            buildroot);
        Assert.Equal(
            [new RpmComponent("qemu-img", "9.2.0", "1.fc42", "2", "x86_64", "cc", null),
             new RpmComponent("bash", "5.2.37", "1.fc42", null, "x86_64", "aa", "gpg-bash"),
             new RpmComponent("qemu-img", "9.2.0", "1.fc42", null, "x86_64", "dd", null)],
            image);
    }

    [Fact]
    public void Split_ReturnsNothing_WhenThePipelinesHaveNoRpmMetadata()
    {
        var (buildroot, image) = OsbuildPackages.Split(Document, new PipelineNames(["missing"], ["image"]));

        Assert.Empty(buildroot);
        Assert.Empty(image);
    }

    [Fact]
    public void Split_NamesTheEntry_WhenAPackageHasNoVersion()
    {
        var document = JsonNode.Parse("""{"metadata": {"os": {"org.osbuild.rpm": {"packages": [{"name": "bash", "release": "1", "arch": "noarch"}]}}}}""")!.AsObject();

        var error = Assert.Throws<FormatException>(() => OsbuildPackages.Split(document, new PipelineNames([], ["os"])));

        Assert.Equal("osbuild result: metadata.os.org.osbuild.rpm.packages[0] has no \"version\"", error.Message);
    }
}
