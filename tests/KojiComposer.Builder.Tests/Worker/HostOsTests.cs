using KojiComposer.Builder.Worker;

namespace KojiComposer.Builder.Tests.Worker;

public sealed class HostOsTests
{
    [Theory]
    [InlineData("NAME=\"Red Hat Enterprise Linux\"\nID=\"rhel\"\nVERSION_ID=\"9.6\"\n", "rhel-9.6")]
    [InlineData("ID=fedora\nVERSION_ID=42\n", "fedora-42")]
    [InlineData("# comment\nID=debian\nVERSION_ID='13'\n", "debian-13")]
    [InlineData("ID=arch\n", "linux")]
    [InlineData("", "linux")]
    public void Parse_NamesTheHostLikeCgBuildroots(string osRelease, string expected)
    {
        Assert.Equal(expected, HostOs.Parse(osRelease.Split('\n')));
    }

    [Fact]
    public void Detect_IsLinux_WhenNoOsReleaseExists()
    {
        Assert.Equal("linux", HostOs.Detect(["/nonexistent/os-release"]));
    }
}
