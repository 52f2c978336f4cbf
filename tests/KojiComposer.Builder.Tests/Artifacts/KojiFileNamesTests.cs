using KojiComposer.Builder.Artifacts;

namespace KojiComposer.Builder.Tests.Artifacts;

public sealed class KojiFileNamesTests
{
    [Theory]
    [InlineData("disk.qcow2", "Fedora-Cloud-42-1.x86_64.qcow2")]
    [InlineData("image.raw.xz", "Fedora-Cloud-42-1.x86_64.raw.xz")]
    [InlineData("disk.vhd.xz", "Fedora-Cloud-42-1.x86_64.vhd.xz")]
    [InlineData("image.tar.gz", "Fedora-Cloud-42-1.x86_64.tar.gz")]
    [InlineData("installer.iso", "Fedora-Cloud-42-1.x86_64.iso")]
    [InlineData(".hidden.img", "Fedora-Cloud-42-1.x86_64.img")]
    [InlineData("vmlinuz", "Fedora-Cloud-42-1.x86_64")]
    public void ImageName_TakesEverythingFromTheFirstDotOfTheDefaultFilename(string defaultFilename, string expected)
    {
        Assert.Equal(expected, KojiFileNames.Image("Fedora-Cloud", "42", "1", "x86_64", defaultFilename));
    }

    [Fact]
    public void CompanionFiles_AreNamedAfterTheImage()
    {
        const string image = "Fedora-Cloud-42-1.x86_64.qcow2";
        Assert.Equal("Fedora-Cloud-42-1.x86_64.qcow2.manifest.json", KojiFileNames.Manifest(image));
        Assert.Equal("Fedora-Cloud-42-1.x86_64.qcow2.osbuild.log", KojiFileNames.Log(image));
        Assert.Equal("Fedora-Cloud-42-1.x86_64.qcow2.buildroot-build.spdx.json", KojiFileNames.Sbom(image, "buildroot-build"));
    }
}
