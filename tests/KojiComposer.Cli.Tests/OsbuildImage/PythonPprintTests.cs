using KojiComposer.Cli.Koji;
using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.Cli.Tests.OsbuildImage;

/// <summary>
/// <see cref="PythonPprint"/> against outputs of CPython's <c>pprint.pformat</c> (width 80, sorted dicts): what
/// <c>koji osbuild-image</c> prints for its opts.
/// </summary>
public sealed class PythonPprintTests
{
    private static XmlRpcStruct Dict(params (string Key, object? Value)[] members) => new(members.Select(m => KeyValuePair.Create(m.Key, m.Value)));

    private static object?[] List(params object?[] items) => items;

    [Fact]
    public void Format_EmptyOpts_IsBraces()
    {
        Assert.Equal("{}", PythonPprint.Format(new XmlRpcStruct()));
    }

    [Fact]
    public void Format_ShortDict_IsOneLine_WithKeysSortedAtEveryLevel()
    {
        var opts = Dict(
            ("upload_options", Dict(("region", "eu"))),
            ("release", "1"),
            ("customizations", Dict(("packages", List("vim", "emacs")), ("hostname", "h"))),
            ("skip_tag", true));

        Assert.Equal(
            """
            {'customizations': {'hostname': 'h', 'packages': ['vim', 'emacs']},
             'release': '1',
             'skip_tag': True,
             'upload_options': {'region': 'eu'}}
            """,
            PythonPprint.Format(opts));
        Assert.Equal("{'a': {'b': 1, 'c': [1, 2]}}", PythonPprint.Format(Dict(("a", Dict(("c", List(1, 2)), ("b", 1))))));
    }

    [Fact]
    public void Format_Scalars_AreTheirPythonRepr()
    {
        var values = Dict(
            ("b", true), ("n", null), ("i", 42), ("f", 1.5), ("big", 1L << 40), ("neg", -0.0), ("e", 1e16), ("small", 1e-05),
            ("q", "it's"), ("dq", "say \"hi\""), ("both", "it's \"x\""), ("esc", "a\tb\nc\\d\u0001\u007f"),
            ("uni", "caf\u00e9 \u2028 \u00a0 \U0001F600 \u200b"));

        Assert.Equal(
            """
            {'b': True,
             'big': 1099511627776,
             'both': 'it\'s "x"',
             'dq': 'say "hi"',
             'e': 1e+16,
             'esc': 'a\tb\nc\\d\x01\x7f',
             'f': 1.5,
             'i': 42,
             'n': None,
             'neg': -0.0,
             'q': "it's",
             'small': 1e-05,
             'uni': 'café \u2028 \xa0 😀 \u200b'}
            """,
            PythonPprint.Format(values));
    }

    [Theory]
    [InlineData(0.1, "0.1")]
    [InlineData(100.0, "100.0")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(123456789012345678.0, "1.2345678901234568e+17")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00012, "0.00012")]
    [InlineData(1.5e-300, "1.5e-300")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(double.PositiveInfinity, "inf")]
    public void Repr_Float_IsPythonShortestRepr(double value, string expected)
    {
        Assert.Equal(expected, PythonRepr.Float(value));
    }

    [Fact]
    public void Format_LongOpts_WrapsLikeCPython_NestedDictsListsAndStrings()
    {
        var opts = Dict(
            ("release", "20250101.n.0"),
            ("repo", List(
                Dict(("baseurl", "https://repo.example.com/fedora/42/Everything/$arch/os"), ("package_sets", List("build", "os"))),
                Dict(("baseurl", "https://repo.example.com/updates/42/$arch")))),
            ("skip_tag", true),
            ("ostree", Dict(("parent", "fedora/42/x86_64/iot"), ("ref", "fedora/42/$arch/iot"), ("url", "https://ostree.example.com/repo"))),
            ("customizations", Dict(
                ("packages", List("vim-enhanced", "tmux", "git", "NetworkManager-wifi", "cloud-init")),
                ("hostname", "builder"),
                ("kernel", Dict(("append", "console=ttyS0,115200n8 no_timer_check net.ifnames=0 rd.neednet=1 quiet"))))),
            ("upload_options", Dict(("region", "us-east-1"), ("share_with_accounts", List("123456789012")), ("snapshot_name", "Fedora-Cloud-42"))));

        Assert.Equal(
            """
            {'customizations': {'hostname': 'builder',
                                'kernel': {'append': 'console=ttyS0,115200n8 '
                                                     'no_timer_check net.ifnames=0 '
                                                     'rd.neednet=1 quiet'},
                                'packages': ['vim-enhanced',
                                             'tmux',
                                             'git',
                                             'NetworkManager-wifi',
                                             'cloud-init']},
             'ostree': {'parent': 'fedora/42/x86_64/iot',
                        'ref': 'fedora/42/$arch/iot',
                        'url': 'https://ostree.example.com/repo'},
             'release': '20250101.n.0',
             'repo': [{'baseurl': 'https://repo.example.com/fedora/42/Everything/$arch/os',
                       'package_sets': ['build', 'os']},
                      {'baseurl': 'https://repo.example.com/updates/42/$arch'}],
             'skip_tag': True,
             'upload_options': {'region': 'us-east-1',
                                'share_with_accounts': ['123456789012'],
                                'snapshot_name': 'Fedora-Cloud-42'}}
            """,
            PythonPprint.Format(opts));
    }

    [Fact]
    public void Format_LongTopLevelString_IsSplitAfterSpaces_InParentheses()
    {
        Assert.Equal(
            """
            ('The quick brown fox jumps over the lazy dog and keeps running far beyond the '
             'eighty column limit of the terminal')
            """,
            PythonPprint.Format("The quick brown fox jumps over the lazy dog and keeps running far beyond the eighty column limit of the terminal"));
        Assert.Equal(
            """
            ('first line is short\n'
             'second line is a good deal longer than the first one and will need to be '
             'split into parts\n')
            """,
            PythonPprint.Format("first line is short\nsecond line is a good deal longer than the first one and will need to be split into parts\n"));
    }

    [Fact]
    public void Format_WordLongerThanTheLine_StaysWhole()
    {
        var url = "https://example.com/" + new string('x', 90);

        Assert.Equal($"{{'url': '{url}'}}", PythonPprint.Format(Dict(("url", url))));
    }

    [Fact]
    public void Format_LongList_PutsOneItemPerLine()
    {
        var items = Enumerable.Range(0, 12).Select(i => (object?)("alpha-" + string.Concat(Enumerable.Repeat(i.ToString(System.Globalization.CultureInfo.InvariantCulture), 8)))).ToArray();

        Assert.Equal(
            """
            ['alpha-00000000',
             'alpha-11111111',
             'alpha-22222222',
             'alpha-33333333',
             'alpha-44444444',
             'alpha-55555555',
             'alpha-66666666',
             'alpha-77777777',
             'alpha-88888888',
             'alpha-99999999',
             'alpha-1010101010101010',
             'alpha-1111111111111111']
            """,
            PythonPprint.Format(items));
    }

    [Fact]
    public void Repr_TaskResult_KeepsTheWireOrder()
    {
        var result = Dict(
            ("composer", Dict(("server", "https://kojicomposer.example.com"), ("id", "29381a43-333f-4093-b144-bf7f4a892372"))),
            ("koji", Dict(("build", 1))));

        Assert.Equal(
            "{'composer': {'server': 'https://kojicomposer.example.com', 'id': '29381a43-333f-4093-b144-bf7f4a892372'}, 'koji': {'build': 1}}",
            PythonRepr.Of(result));
    }
}
