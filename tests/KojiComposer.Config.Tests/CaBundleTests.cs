namespace KojiComposer.Config.Tests;

public sealed class CaBundleTests
{
    private const string F = ConfigAssert.File;

    [Fact]
    public void Parse_KeepsTheCaBundlePath_WhenTheFileIsReadable()
    {
        var pem = Path.GetTempFileName();
        try
        {
            var options = KojiComposerConfiguration.Parse($"[hub]\nurl = \"https://koji.example.com/kojihub\"\nca_bundle = \"{pem}\"\n{ConfigAssert.Identities}\n", F);

            Assert.Equal(pem, options.Hub!.CaBundle);
        }
        finally
        {
            File.Delete(pem);
        }
    }

    [Fact]
    public void Parse_NamesTheCaBundleAndReason_WhenItIsMissing()
    {
        var line = ConfigAssert.FailsOnce($"[hub]\nurl = \"https://koji.example.com/kojihub\"\nca_bundle = \"/nonexistent/koji-ca.pem\"\n{ConfigAssert.Identities}\n");

        Assert.Equal($"{F}:3: hub.ca_bundle: cannot read CA bundle \"/nonexistent/koji-ca.pem\": No such file or directory", line);
    }

    [Fact]
    public void Parse_LeavesTheCaBundleUnset_ByDefault()
    {
        var options = KojiComposerConfiguration.Parse($"[hub]\nurl = \"https://koji.example.com/kojihub\"\n{ConfigAssert.Identities}\n", F);

        Assert.Null(options.Hub!.CaBundle);
    }
}
