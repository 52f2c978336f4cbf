using KojiComposer.Builder.Catalogue;

namespace KojiComposer.Builder.Tests.Catalogue;

public sealed class ImageTypeCatalogueTests
{
    private static readonly ImageTypeCatalogue BuiltIn = ImageTypeCatalogue.Load();

    [Theory]
    [InlineData("rhel-9.6", "guest-image", "qcow2", "qcow2", "disk.qcow2", "aws.s3")]
    [InlineData("rhel-9.6", "aws", "ami", "image", "image.raw", "aws")]
    [InlineData("rhel-9.6", "aws-rhui", "ec2", "xz", "image.raw.xz", "aws")]
    [InlineData("rhel-9.6", "aws-ha-rhui", "ec2-ha", "xz", "image.raw.xz", "aws")]
    [InlineData("rhel-9.6", "aws-sap-rhui", "ec2-sap", "xz", "image.raw.xz", "aws")]
    [InlineData("rhel-9.6", "azure", "vhd", "vpc", "disk.vhd", "azure")]
    [InlineData("rhel-9.6", "azure-rhui", "azure-rhui", "xz", "disk.vhd.xz", "azure")]
    [InlineData("rhel-9.6", "gcp", "gce", "archive", "image.tar.gz", "gcp")]
    [InlineData("rhel-9.6", "vsphere", "vmdk", "vmdk", "disk.vmdk", "aws.s3")]
    [InlineData("rhel-9.6", "vsphere-ova", "ova", "archive", "image.ova", "aws.s3")]
    [InlineData("rhel-9.6", "image-installer", "image-installer", "bootiso", "installer.iso", "aws.s3")]
    [InlineData("rhel-9.6", "network-installer", "network-installer", "bootiso", "netinst.iso", "aws.s3")]
    [InlineData("rhel-9.6", "minimal-raw", "minimal-raw", "xz", "disk.raw.xz", "aws.s3")]
    [InlineData("rhel-9.6", "pxe-tar-xz", "pxe-tar-xz", "xz", "pxe.tar.xz", "aws.s3")]
    [InlineData("rhel-9.6", "wsl", "wsl", "xz", "image.wsl", "aws.s3")]
    [InlineData("rhel-9.6", "edge-commit", "edge-commit", "commit-archive", "commit.tar", "aws.s3")]
    [InlineData("rhel-9.6", "edge-container", "edge-container", "container", "container.tar", "container")]
    [InlineData("rhel-9.6", "edge-installer", "edge-installer", "bootiso", "installer.iso", "aws.s3")]
    [InlineData("rhel-9.6", "oci", "oci", "qcow2", "disk.qcow2", "oci.objectstorage")]
    [InlineData("centos-9", "guest-image", "qcow2", "qcow2", "disk.qcow2", "aws.s3")]
    [InlineData("rhel-10.0", "minimal-raw", "minimal-raw-xz", "xz", "image.raw.xz", "aws.s3")]
    [InlineData("centos-10", "vsphere", "vmdk", "vmdk", "disk.vmdk", "aws.s3")]
    [InlineData("fedora-42", "guest-image", "generic-qcow2", "qcow2", "disk.qcow2", "aws.s3")]
    [InlineData("fedora-42", "minimal-raw", "minimal-raw-xz", "xz", "disk.raw.xz", "aws.s3")]
    [InlineData("fedora-42", "live-installer", "workstation-live-installer", "bootiso", "live-installer.iso", "aws.s3")]
    [InlineData("fedora-42", "iot-commit", "iot-commit", "commit-archive", "commit.tar", "aws.s3")]
    [InlineData("fedora-42", "iot-container", "iot-container", "container", "container.tar", "container")]
    [InlineData("fedora-42", "iot-installer", "iot-installer", "bootiso", "installer.iso", "aws.s3")]
    [InlineData("fedora-42", "iot-raw-image", "iot-raw-xz", "xz", "image.raw.xz", "aws.s3")]
    [InlineData("fedora-42", "wsl", "generic-wsl", "xz", "image.wsl", "aws.s3")]
    [InlineData("rhel-8.10", "aws-rhui", "ec2", "xz", "image.raw.xz", "aws")]
    public void Find_GivesTheDistrosGeneratorTypeExportAndFile(string distro, string type, string generator, string export, string filename, string target)
    {
        var entry = BuiltIn.Find(distro, type);

        Assert.NotNull(entry);
        Assert.Equal((generator, export, filename, target), (entry.GeneratorType, entry.Export, entry.Filename, entry.DefaultTarget));
        Assert.Equal(["build"], entry.BuildPipelines);
        Assert.Contains(export, entry.PayloadPipelines);
    }

    [Fact]
    public void Find_ReturnsNull_WhenTheDistroHasNoSuchType()
    {
        Assert.Null(BuiltIn.Find("fedora-42", "aws-rhui"));
        Assert.Null(BuiltIn.Find("rhel-9.6", "no-such-type"));
        Assert.Null(BuiltIn.Find("debian-12", "guest-image"));
    }

    [Fact]
    public void Find_TakesTheFirstMatchingEntry_SoSpecificDistrosBeatWildcards()
    {
        var catalogue = new ImageTypeCatalogue(
        [
            new("guest-image", "rhel-9.6", "special", "qcow2", "disk.qcow2", null, "aws.s3", ["build"], ["os"]),
            new("guest-image", "rhel-*", "qcow2", "qcow2", "disk.qcow2", null, "aws.s3", ["build"], ["os"]),
            new("guest-image", "*", "generic", "qcow2", "disk.qcow2", null, "aws.s3", ["build"], ["os"]),
        ]);

        Assert.Equal("special", catalogue.Find("rhel-9.6", "guest-image")!.GeneratorType);
        Assert.Equal("qcow2", catalogue.Find("rhel-9.5", "guest-image")!.GeneratorType);
        Assert.Equal("generic", catalogue.Find("fedora-42", "guest-image")!.GeneratorType);
    }

    [Fact]
    public void BuiltIn_HasEveryImageTypeTheKojiTasksUse_ForRhel9()
    {
        string[] required =
        [
            "guest-image", "aws", "aws-rhui", "aws-ha-rhui", "aws-sap-rhui", "azure", "azure-rhui", "gcp", "vsphere", "vsphere-ova",
            "image-installer", "minimal-raw", "edge-commit", "edge-container", "edge-installer", "wsl", "oci", "pxe-tar-xz", "network-installer",
        ];

        string[] fedora = ["iot-commit", "iot-container", "iot-installer", "iot-raw-image", "live-installer", "guest-image"];

        Assert.Equal([], required.Where(t => BuiltIn.Find("rhel-9.6", t) is null).ToArray());
        Assert.Equal([], fedora.Where(t => BuiltIn.Find("fedora-43", t) is null).ToArray());
    }

    [Theory]
    [InlineData("qcow2", "guest-image")]
    [InlineData("ec2", "aws-rhui")]
    [InlineData("ec2-ha", "aws-ha-rhui")]
    [InlineData("ec2-sap", "aws-sap-rhui")]
    public void KojiAliases_MapTheOldKojiNames(string koji, string cloudApi)
    {
        Assert.Equal(cloudApi, ImageTypeCatalogue.KojiAliases[koji]);
        Assert.NotNull(BuiltIn.Find("rhel-9.6", ImageTypeCatalogue.KojiAliases[koji]));
    }

    [Fact]
    public void KojiAliases_LeaveOtherNamesAlone()
    {
        Assert.Equal(4, ImageTypeCatalogue.KojiAliases.Count);
        Assert.False(ImageTypeCatalogue.KojiAliases.ContainsKey("vhd"));
    }
}
