using System.CommandLine;
using KojiComposer.Cli.Commands;
using KojiComposer.Cli.Koji;

namespace KojiComposer.Cli.Tests.OsbuildImage;

/// <summary>
/// How <c>osbuild-image</c> reads its command line into the osbuildImage arguments and opts, by the stock plugin's
/// rules (plugins/cli/osbuild.py <c>parse_args</c>, <c>parse_repo</c>, <c>parse_repo_package_set</c>).
/// </summary>
public sealed class OsbuildImageOptionsTests : IDisposable
{
    private static readonly string[] Positionals = ["Fedora-Cloud", "42", "fedora-42", "f42-candidate", "x86_64"];

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("kc-osb-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static OsbuildImageRequest Read(params string[] options)
    {
        var console = new CliConsole(TextWriter.Null, TextWriter.Null);
        var command = new OsbuildImageCommand(console);
        var root = new RootCommand();
        GlobalOptions.AddTo(root);
        root.Subcommands.Add(command.Command);
        var parse = root.Parse(["osbuild-image", .. Positionals, .. options]);
        Assert.Empty(parse.Errors);
        return command.ReadRequest(parse);
    }

    private static string Opts(params string[] options) => PythonRepr.Of(Read(options).Opts);

    [Fact]
    public void Read_TakesPositionalsInTheStockOrder_DistroBeforeTarget()
    {
        var request = Read("aarch64", "--image-type", "qcow2");

        Assert.Equal(
            ("Fedora-Cloud", "42", "fedora-42", "qcow2", "f42-candidate", "x86_64|aarch64", null),
            (request.Name, request.Version, request.Distro, request.ImageType, request.Target, string.Join('|', request.Arches), request.Wait));
        Assert.Equal("{}", PythonRepr.Of(request.Opts));
        Assert.Equal("guest-image", Read().ImageType);
    }

    [Fact]
    public void Read_RepoPackageSets_ApplyToTheLastRepo_MergedSortedAndDeduplicated()
    {
        // The example of osbuildimage-task.md §9.
        Assert.Equal(
            "{'repo': [{'baseurl': 'A', 'package_sets': ['a', 'b', 'c', 'd']}, {'baseurl': 'B', 'package_sets': ['alpha']}, {'baseurl': 'C'}]}",
            Opts("--repo", "A", "--repo-package-sets", "a; b; c", "--repo-package-sets", "d", "--repo", "B", "--repo-package-sets", "alpha", "--repo", "C"));
        Assert.Equal(
            "{'repo': [{'baseurl': 'A', 'package_sets': ['Z', 'a', 'b']}]}",
            Opts("--repo=A", "--repo-package-sets", " b ;a", "--repo-package-sets", "a;Z"));
    }

    [Fact]
    public void Read_RepoAfterAPlainFirstRepo_StaysAString_OnlyTheFirstEntryDecides()
    {
        Assert.Equal(
            "{'repo': ['http://a/$arch', {'baseurl': 'http://b', 'package_sets': ['os']}, 'http://c']}",
            Opts("--repo", "http://a/$arch", "--repo", "http://b", "--repo-package-sets", "os", "--repo", "http://c"));
        Assert.Equal("{'repo': ['', 'x']}", Opts("--repo", "", "--repo", "x"));
    }

    [Fact]
    public void Read_RepoPackageSetsWithoutRepo_IsAUsageError()
    {
        var error = Assert.Throws<BaseCommand.CliException>(() => Read("--repo-package-sets", "os", "--repo", "A"));

        Assert.Equal((ExitCodes.Usage, "Need '--repo' for --repo-package-sets"), (error.Code, error.Message));
    }

    [Fact]
    public void Read_OptsHoldOnlyWhatIsGiven_InTheStockKeyOrder()
    {
        var customizations = Path.Combine(_dir.FullName, "c.json");
        File.WriteAllText(customizations, """{"packages": ["vim"], "n": 1}""");
        var upload = Path.Combine(_dir.FullName, "u.json");
        File.WriteAllText(upload, """{"region": "us-east-1"}""");

        Assert.Equal(
            "{'release': '7', 'repo': ['R'], 'skip_tag': True, 'ostree': {'parent': 'p', 'ref': 'r', 'url': 'u'}, " +
            "'customizations': {'packages': ['vim'], 'n': 1}, 'upload_options': {'region': 'us-east-1'}}",
            Opts("--upload-options", upload, "--customizations", customizations, "--ostree-url", "u", "--ostree-ref", "r",
                "--ostree-parent", "p", "--skip-tag", "--repo", "R", "--release", "7"));
        Assert.Equal("{'ostree': {'ref': 'r'}}", Opts("--ostree-ref", "r", "--ostree-parent", ""));
        Assert.Equal("{}", Opts("--release", "", "--customizations", "", "--upload-options", ""));
    }

    [Fact]
    public void Read_AnOptionGivenAgain_TakesTheLastValue_AsOptparseDoes()
    {
        // A script's defaults followed by an override.
        var first = Path.Combine(_dir.FullName, "first.json");
        File.WriteAllText(first, """{"packages": ["vim"]}""");
        var second = Path.Combine(_dir.FullName, "second.json");
        File.WriteAllText(second, """{"packages": ["tmux"]}""");

        var request = Read("--image-type", "guest-image", "--release", "1", "--ostree-ref", "a", "--customizations", first,
            "--image-type", "qcow2", "--release", "2", "--ostree-ref", "b", "--customizations", second);

        Assert.Equal("qcow2", request.ImageType);
        Assert.Equal("{'release': '2', 'ostree': {'ref': 'b'}, 'customizations': {'packages': ['tmux']}}", PythonRepr.Of(request.Opts));
    }

    [Fact]
    public void Read_TheBeginningOfALongOption_IsThatOption_WhenNoOtherBeginsSo()
    {
        var request = Read("--image", "qcow2", "--rel=7", "--repo", "A", "--repo-p", "os", "--skip", "--now");

        Assert.Equal(("qcow2", false), (request.ImageType, request.Wait));
        Assert.Equal("{'release': '7', 'repo': [{'baseurl': 'A', 'package_sets': ['os']}], 'skip_tag': True}", PythonRepr.Of(request.Opts));
        Assert.Equal(["x86_64"], request.Arches);
    }

    [Theory]
    [InlineData("--imgae-type", "no such option: --imgae-type (kojicomposer osbuild-image --help lists the options; put -- before an argument that starts with '-')")]
    [InlineData("-x", "no such option: -x (kojicomposer osbuild-image --help lists the options; put -- before an argument that starts with '-')")]
    [InlineData("--re", "ambiguous option: --re could be --release, --repo, --repo-package-sets")]
    [InlineData("--ostree", "ambiguous option: --ostree could be --ostree-parent, --ostree-ref, --ostree-url")]
    public void Read_AnUnknownOrAmbiguousOption_IsAUsageError_NotAnArchitecture(string option, string message)
    {
        var error = Assert.Throws<BaseCommand.CliException>(() => Read(option, "qcow2"));

        Assert.Equal((ExitCodes.Usage, message), (error.Code, error.Message));
    }

    [Fact]
    public void Read_AfterDoubleDash_AWordStartingWithADash_IsAnArgument()
    {
        Assert.Equal(["x86_64", "--image"], Read("--", "--image").Arches);
    }

    [Theory]
    [InlineData(new[] { "--wait" }, true)]
    [InlineData(new[] { "--nowait" }, false)]
    [InlineData(new[] { "--wait", "--nowait" }, false)]
    [InlineData(new[] { "--nowait", "--wait" }, true)]
    [InlineData(new string[0], null)]
    public void Read_TheLastOfWaitAndNowaitCounts(string[] options, bool? wait)
    {
        Assert.Equal(wait, Read(options).Wait);
    }

    [Fact]
    public void Read_JsonFiles_BecomeXmlRpcValues_AsPythonJsonLoadsThem()
    {
        var path = Path.Combine(_dir.FullName, "c.json");
        File.WriteAllText(path, """{"b": 1, "a": [1.0, 1e2, -0, 5000000000, true, null, "x"], "b": 2, "u": "caf\u00e9"}""");

        var value = Read("--customizations", path).Opts["customizations"];

        Assert.Equal("{'b': 2, 'a': [1.0, 100.0, 0, 5000000000, True, None, 'x'], 'u': 'café'}", PythonRepr.Of(value));
        var items = (object?[])((HubBridge.XmlRpc.XmlRpcStruct)value!)["a"]!;
        Assert.Equal([typeof(double), typeof(double), typeof(int), typeof(long)], items.Take(4).Select(i => i!.GetType()));
    }

    [Fact]
    public void Read_ABadJsonFile_NamesTheOptionTheFileAndThePlace()
    {
        var path = Path.Combine(_dir.FullName, "bad.json");
        File.WriteAllText(path, "{\n  \"packages\": [\"vim\",]\n}\n");
        var missing = Path.Combine(_dir.FullName, "missing.json");

        var bad = Assert.Throws<BaseCommand.CliException>(() => Read("--customizations", path));
        var gone = Assert.Throws<BaseCommand.CliException>(() => Read("--upload-options", missing));

        Assert.Equal(ExitCodes.Failure, bad.Code);
        Assert.Equal($"--customizations {path}: not valid JSON at line 2, column 22: a comma after the last item (JSON allows none there)", bad.Message);
        Assert.Equal((ExitCodes.Failure, $"--upload-options {missing}: cannot read the file: no such file"), (gone.Code, gone.Message));

        var surrogate = Path.Combine(_dir.FullName, "surrogate.json");
        File.WriteAllText(surrogate, """{"hostname": "a\ud800b"}""");
        var latin1 = Path.Combine(_dir.FullName, "latin1.json");
        File.WriteAllBytes(latin1, [.. "{\"hostname\": \"caf"u8, 0xe9, .. "\"}"u8]);
        foreach (var file in new[] { surrogate, latin1 })
        {
            var error = Assert.Throws<BaseCommand.CliException>(() => Read("--customizations", file));
            Assert.Equal(
                $"--customizations {file}: not valid JSON: a string in it is not Unicode text (bytes that are not UTF-8, or an unpaired surrogate escape such as \\ud800); save the file as UTF-8",
                error.Message);
        }
    }

    [Fact]
    public async Task Help_ExplainsEveryArgumentAndOption()
    {
        using var cli = new CliHarness();

        var result = await cli.RunAsync("osbuild-image", "--help");

        Assert.Equal(0, result.Code);
        Assert.Contains(" osbuild-image [<NAME> [<VERSION> [<DISTRO> [<TARGET> [<ARCH>...]]]]] [options]", result.Out, StringComparison.Ordinal);
        foreach (var option in new[] { "--image-type <TYPE>", "--release <RELEASE>", "--repo <URL>", "--repo-package-sets <\"SET; SET\">", "--ostree-parent <REF>",
            "--ostree-ref <REF>", "--ostree-url <URL>", "--customizations <FILE>", "--upload-options <FILE>", "--skip-tag", "--wait", "--nowait" })
        {
            Assert.Matches($@"(?m)^  {System.Text.RegularExpressions.Regex.Escape(option)}\s+\S", result.Out);
        }
    }
}
