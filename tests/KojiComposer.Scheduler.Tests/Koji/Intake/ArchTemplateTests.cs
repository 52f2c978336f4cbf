using KojiComposer.Scheduler.Koji.Intake;

namespace KojiComposer.Scheduler.Tests.Koji.Intake;

/// <summary><c>$arch</c> templating as Python's <c>string.Template.substitute(arch=…)</c> does it
/// (osbuildimage-task.md §4 step 4), and koji's <c>canonArch</c> (step 2).</summary>
public sealed class ArchTemplateTests
{
    [Theory]
    [InlineData("https://r/$arch/os", "https://r/x86_64/os")]
    [InlineData("https://r/${arch}x", "https://r/x86_64x")]
    [InlineData("https://r/$$arch/$arch", "https://r/$arch/x86_64")]
    [InlineData("https://r/$arch-$arch", "https://r/x86_64-x86_64")]
    [InlineData("https://r/$$", "https://r/$")]
    [InlineData("https://r/os", "https://r/os")]
    [InlineData("", "")]
    public void Substitute_ReplacesArchAndDoubleDollar(string template, string expected)
    {
        Assert.Equal(expected, ArchTemplate.Substitute(template, "x86_64"));
    }

    [Theory]
    [InlineData("https://r/$basearch", "basearch")]
    [InlineData("https://r/$releasever/os", "releasever")]
    [InlineData("https://r/$ARCH", "ARCH")]
    [InlineData("https://r/$archive", "archive")]
    [InlineData("https://r/$arch_", "arch_")]
    [InlineData("https://r/${ARCH}", "ARCH")]
    [InlineData("https://r/${arch2}", "arch2")]
    public void Substitute_Fails1005_ForAnyOtherName(string template, string name)
    {
        var failure = Assert.Throws<KojiTaskFailure>(() => ArchTemplate.Substitute(template, "x86_64"));

        Assert.Equal(1005, failure.FaultCode);
        Assert.Equal($"Invalid placeholder in '{template}': unknown name '{name}' (only $arch, ${{arch}} and $$ are replaced)", failure.FaultString);
    }

    [Theory]
    [InlineData("https://r/a$/b", 12)]
    [InlineData("https://r/$1", 11)]
    [InlineData("https://r/$", 11)]
    [InlineData("https://r/${arch", 11)]
    [InlineData("https://r/${}", 11)]
    [InlineData("https://r/$ {arch}", 11)]
    [InlineData("$arch/$-", 7)]
    public void Substitute_Fails1005_ForADollarThatStartsNoPlaceholder(string template, int position)
    {
        var failure = Assert.Throws<KojiTaskFailure>(() => ArchTemplate.Check(template));

        Assert.Equal(1005, failure.FaultCode);
        Assert.Equal($"Invalid placeholder in '{template}': the '$' at position {position} starts no placeholder (write $$ for a literal '$')", failure.FaultString);
    }

    [Theory]
    [InlineData("x86_64", "x86_64")]
    [InlineData("i686", "i386")]
    [InlineData("i586", "i386")]
    [InlineData("athlon", "i386")]
    [InlineData("ia32e", "x86_64")]
    [InlineData("ppc64le", "ppc64le")]
    [InlineData("ppc64", "ppc64")]
    [InlineData("ppc64pseries", "ppc64")]
    [InlineData("sparc64v", "sparc64")]
    [InlineData("sparcv9", "sparc")]
    [InlineData("alphaev6", "alpha")]
    [InlineData("armv7hl", "armhfp")]
    [InlineData("armv7l", "arm")]
    [InlineData("aarch64", "aarch64")]
    [InlineData("s390x", "s390x")]
    [InlineData("i6866", "i6866")]
    public void Canonical_FollowsKojisCanonArch(string arch, string expected)
    {
        Assert.Equal(expected, KojiArch.Canonical(arch));
    }

    [Theory]
    [InlineData(new[] { "riscv64" }, "{'riscv64'}")]
    [InlineData(new[] { "a", "b" }, "{'a', 'b'}")]
    [InlineData(new[] { "it's" }, "{\"it's\"}")]
    [InlineData(new[] { "q'\"" }, "{'q\\'\"'}")]
    [InlineData(new[] { "tab\t\\" }, "{'tab\\t\\\\'}")]
    public void Set_WritesPythonsSetRepr(string[] items, string expected)
    {
        Assert.Equal(expected, PythonRepr.Set(items));
    }
}
