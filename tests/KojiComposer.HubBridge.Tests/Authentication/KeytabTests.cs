using KojiComposer.HubBridge.Authentication;
using KojiComposer.Testing;

namespace KojiComposer.HubBridge.Tests.Authentication;

public sealed class KeytabTests
{
    [Fact]
    public void Read_ListsThePrincipalsOfARealKeytab()
    {
        var entries = Keytab.Read(TestStack.Keytab("builder1"));

        Assert.NotEmpty(entries);
        Assert.All(entries, e => Assert.Equal(TestStack.HostPrincipal, e.Principal));
    }

    [Fact]
    public void Write_OfEntriesFromTwoKeytabs_GivesOneKeytabHoldingBoth()
    {
        var merged = Path.Combine(Path.GetTempPath(), $"kc-merged-{Guid.NewGuid():N}.keytab");
        try
        {
            Keytab.Write(merged, Keytab.Read(TestStack.Keytab("builder1")).Concat(Keytab.Read(TestStack.Keytab("osbuild-cg"))));

            var principals = Keytab.Read(merged).Select(e => e.Principal).Distinct().ToArray();

            Assert.Equal([TestStack.HostPrincipal, TestStack.ContentGeneratorPrincipal], principals);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(merged));
        }
        finally
        {
            File.Delete(merged);
        }
    }

    [Fact]
    public void Parse_NamesTheFile_WhenItIsNotAKeytab()
    {
        var error = Assert.Throws<KerberosException>(() => Keytab.Parse("[libdefaults]\n"u8.ToArray(), "/etc/krb5.conf"));

        Assert.Equal("keytab /etc/krb5.conf is not an MIT keytab (version 0x0502)", error.Message);
    }

    [Fact]
    public void Parse_NamesTheByte_WhenTheKeytabIsTruncated()
    {
        var bytes = File.ReadAllBytes(TestStack.Keytab("releng"));

        var error = Assert.Throws<KerberosException>(() => Keytab.Parse(bytes[..20], "releng.keytab"));

        Assert.Equal("keytab releng.keytab is truncated at byte 2", error.Message);
    }
}
