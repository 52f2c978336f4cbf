using KojiComposer.Builder.Targets.Gcp;
using KojiComposer.Config;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace KojiComposer.Builder.Tests.Targets.Gcp;

/// <summary>The start-up check of <c>[builder.targets.gcp]</c> and the guest OS feature table.</summary>
public sealed class GcpConfigurationTests : IAsyncLifetime
{
    private GcpTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await GcpTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public void CheckConfiguration_FindsNoProblem_WhenTheKeyLoadsAndNamesItsProject() =>
        Assert.Empty(Target(new GcpTargetOptions { Credentials = _bed.KeyFile }).CheckConfiguration());

    [Fact]
    public void CheckConfiguration_FindsNoProblem_WhenThereIsNoGcpSection() =>
        Assert.Empty(new GcpImageTarget(new TargetsOptions(), NullLogger<GcpImageTarget>.Instance).CheckConfiguration());

    [Fact]
    public void CheckConfiguration_AsksForProjectId_WhenTheKeyNamesNoProject()
    {
        var key = _bed.Fake.WriteKeyFile(Directory.CreateTempSubdirectory("kc-gcp-key-").FullName, projectId: null);

        var problem = Assert.Single(Target(new GcpTargetOptions { Credentials = key }).CheckConfiguration());

        Assert.Contains("no project_id", problem, StringComparison.Ordinal);
        Assert.Empty(Target(new GcpTargetOptions { Credentials = key, ProjectId = "mine" }).CheckConfiguration());
    }

    [Fact]
    public void CheckConfiguration_NamesTheFileButNotTheKey_WhenThePrivateKeyIsBroken()
    {
        var path = Path.Combine(_bed.Directory, "broken.json");
        var broken = _bed.Fake.PrivateKeyPem.Replace("\n", "\nAAAA", StringComparison.Ordinal);
        File.WriteAllText(path, new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "service_account", ["client_email"] = GcpFake.ClientEmail, ["private_key"] = broken, ["project_id"] = "p",
        }.ToJsonString());

        var problem = Assert.Single(Target(new GcpTargetOptions { Credentials = path }).CheckConfiguration());

        Assert.Contains($"\"{path}\" is not a usable service account key", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("AAAA", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rhel-9.6", "x86_64", "uefi", "UEFI_COMPATIBLE VIRTIO_SCSI_MULTIQUEUE SEV_CAPABLE GVNIC")]
    [InlineData("centos-10", "x86_64", "hybrid", "UEFI_COMPATIBLE VIRTIO_SCSI_MULTIQUEUE SEV_CAPABLE GVNIC")]
    [InlineData("fedora-42", "aarch64", "uefi", "UEFI_COMPATIBLE VIRTIO_SCSI_MULTIQUEUE GVNIC")]
    [InlineData("rhel-8.10", "x86_64", "legacy", "VIRTIO_SCSI_MULTIQUEUE SEV_CAPABLE GVNIC")]
    [InlineData("almalinux-9", "x86_64", null, "UEFI_COMPATIBLE VIRTIO_SCSI_MULTIQUEUE")]
    public void GuestOsFeatures_FollowDistributionArchAndBootMode(string distribution, string arch, string? bootMode, string expected) =>
        Assert.Equal(expected.Split(' '), GcpGuestOsFeatures.For(distribution, arch, bootMode));

    private static GcpImageTarget Target(GcpTargetOptions gcp) =>
        new(new TargetsOptions { Gcp = gcp }, NullLogger<GcpImageTarget>.Instance);
}
