using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.Scheduler.Koji.Intake;

namespace KojiComposer.Scheduler.Tests.Koji.Intake;

/// <summary>The task's parameters as <c>getTaskInfo(id, request=True)</c> gives them (osbuildimage-task.md §1,
/// §2): positional or keyword <c>opts</c>, and the hub schema's refusals as ParameterError naming the parameter.</summary>
public sealed class OsbuildImageArgumentsTests
{
    private static object?[] Six => ["Fedora-Cloud", "42", "fedora-42", "qcow2", "f42-candidate", new object?[] { "x86_64", "aarch64" }];

    private static object?[] With(params object?[] tail) => [.. Six, .. tail];

    private static XmlRpcStruct Keywords(params (string Key, object? Value)[] members)
    {
        var kwargs = new XmlRpcStruct();
        foreach (var (key, value) in members)
        {
            kwargs[key] = value;
        }

        kwargs["__starstar"] = true;
        return kwargs;
    }

    private static string Fails(object?[] request)
    {
        var failure = Assert.Throws<KojiTaskFailure>(() => OsbuildImageArguments.Parse(request));
        Assert.Equal(1019, failure.FaultCode);
        return failure.FaultString;
    }

    [Fact]
    public void Parse_ReadsSevenPositionalParameters()
    {
        var opts = new XmlRpcStruct { ["release"] = "3" };

        var arguments = OsbuildImageArguments.Parse(With(opts));

        Assert.Equal(("Fedora-Cloud", "42", "fedora-42", "qcow2", "f42-candidate"),
            (arguments.Name, arguments.Version, arguments.Distro, arguments.ImageType, arguments.Target));
        Assert.Equal(["x86_64", "aarch64"], arguments.Arches);
        Assert.Same(opts, arguments.Opts);
    }

    [Fact]
    public void Parse_ReadsOptsFromTheKeywordStruct_AsTheKojiClientSendsIt()
    {
        var opts = new XmlRpcStruct();

        var arguments = OsbuildImageArguments.Parse(With(Keywords(("opts", opts), ("priority", 5))));

        Assert.Same(opts, arguments.Opts);
    }

    [Fact]
    public void Parse_IgnoresAKeywordPriority_NextToPositionalOpts()
    {
        var arguments = OsbuildImageArguments.Parse(With(new XmlRpcStruct(), Keywords(("priority", -1))));

        Assert.Empty(arguments.Opts);
    }

    [Fact]
    public void Parse_TakesTheSingleElementOfAnImageTypeList()
    {
        object?[] request = ["n", "1", "fedora-42", new object?[] { "guest-image" }, "t", new object?[] { "x86_64" }, new XmlRpcStruct()];

        Assert.Equal("guest-image", OsbuildImageArguments.Parse(request).ImageType);
    }

    [Fact]
    public void Parse_Fails_WhenParametersAreMissing()
    {
        Assert.Equal("osbuildImage takes the parameters name, version, distro, image_type, target, arches and opts; got 5 positional parameters",
            Fails(Six[..5]));
        Assert.Equal("opts is missing (an empty struct when there are no options)", Fails(Six));
        Assert.Equal("opts is missing (an empty struct when there are no options)", Fails(With(Keywords(("priority", 1)))));
    }

    [Fact]
    public void Parse_Fails_WhenOptsIsNotAStruct()
    {
        Assert.Equal("opts must be a struct, not None", Fails(With((object?)null)));
        Assert.Equal("opts must be a struct, not None", Fails(With(Keywords(("opts", null)))));
    }

    [Fact]
    public void Parse_Fails_WhenOptsComesTwice()
    {
        Assert.Equal("opts is given both as the 7th parameter and as a keyword parameter",
            Fails(With(new XmlRpcStruct(), Keywords(("opts", new XmlRpcStruct())))));
    }

    [Fact]
    public void Parse_Fails_ForAnUnknownKeyword()
    {
        Assert.Equal("unexpected keyword parameter 'channel' (osbuildImage takes opts and priority)",
            Fails(With(Keywords(("opts", new XmlRpcStruct()), ("channel", "image")))));
    }

    [Theory]
    [InlineData(0, "name must be a non-empty string, not an integer (42)")]
    [InlineData(1, "version must be a non-empty string, not a string ('')")]
    [InlineData(2, "distro must be a non-empty string, not None")]
    [InlineData(4, "target must be a non-empty string, not an array")]
    public void Parse_Fails_WhenAStringParameterIsNotOne(int index, string expected)
    {
        var request = With(new XmlRpcStruct());
        request[index] = index switch { 0 => 42, 1 => "", 2 => null, _ => new object?[] { "t" } };

        Assert.Equal(expected, Fails(request));
    }

    [Fact]
    public void Parse_Fails_ForAnImageTypeListOfTwo()
    {
        var request = With(new XmlRpcStruct());
        request[3] = new object?[] { "a", "b" };

        Assert.Equal("image_type must be a string or an array of exactly one string, not an array of 2", Fails(request));
    }

    [Theory]
    [InlineData("none", "arches must name at least one architecture")]
    [InlineData("string", "arches must be an array of strings, not a string ('x86_64')")]
    [InlineData("number", "arches[1] must be a non-empty string, not an integer (1)")]
    [InlineData("twice", "arches lists 'x86_64' twice")]
    public void Parse_Fails_ForBadArches(string shape, string expected)
    {
        var request = With(new XmlRpcStruct());
        request[5] = shape switch
        {
            "none" => Array.Empty<object?>(),
            "string" => "x86_64",
            "number" => new object?[] { "x86_64", 1 },
            _ => new object?[] { "x86_64", "aarch64", "x86_64" },
        };

        Assert.Equal(expected, Fails(request));
    }

    public static TheoryData<string, XmlRpcStruct, string> BadOpts => new()
    {
        { "scratch", new XmlRpcStruct { ["scratch"] = true },
            "opts has the unknown option 'scratch' (allowed: customizations, ostree, release, repo, skip_tag, upload_options)" },
        { "release type", new XmlRpcStruct { ["release"] = 1 }, "opts.release must be a string, not an integer (1)" },
        { "skip_tag type", new XmlRpcStruct { ["skip_tag"] = "yes" }, "opts.skip_tag must be a boolean, not a string ('yes')" },
        { "repo type", new XmlRpcStruct { ["repo"] = "http://a" }, "opts.repo must be an array of URLs and repo structs, not a string ('http://a')" },
        { "repo without baseurl", new XmlRpcStruct { ["repo"] = new object?[] { new XmlRpcStruct { ["package_sets"] = new object?[] { "x" } } } },
            "opts.repo[0].baseurl must be a string, not None" },
        { "repo key", new XmlRpcStruct { ["repo"] = new object?[] { "http://a", new XmlRpcStruct { ["baseurl"] = "b", ["gpgkey"] = "k" } } },
            "opts.repo[1] has the unknown key 'gpgkey' (allowed: baseurl, package_sets)" },
        { "package set type", new XmlRpcStruct { ["repo"] = new object?[] { new XmlRpcStruct { ["baseurl"] = "b", ["package_sets"] = new object?[] { 1 } } } },
            "opts.repo[0].package_sets[0] must be a string, not an integer (1)" },
        { "repo item", new XmlRpcStruct { ["repo"] = new object?[] { 7 } }, "opts.repo[0] must be a URL or a struct {baseurl, package_sets}, not an integer (7)" },
        { "ostree key", new XmlRpcStruct { ["ostree"] = new XmlRpcStruct { ["contenturl"] = "u" } },
            "opts.ostree has the unknown key 'contenturl' (allowed: parent, ref, url)" },
        { "ostree ref type", new XmlRpcStruct { ["ostree"] = new XmlRpcStruct { ["ref"] = false } }, "opts.ostree.ref must be a string, not a boolean (False)" },
        { "customizations type", new XmlRpcStruct { ["customizations"] = new object?[] { } }, "opts.customizations must be a struct, not an array" },
        { "upload_options binary", new XmlRpcStruct { ["upload_options"] = new XmlRpcStruct { ["region"] = new byte[] { 1 } } },
            "opts.upload_options.region is base64 data, which a JSON document cannot hold" },
    };

    [Theory]
    [MemberData(nameof(BadOpts))]
    public void Parse_Fails_ForOptsTheHubSchemaRefuses(string what, XmlRpcStruct opts, string expected)
    {
        Assert.False(string.IsNullOrEmpty(what));
        Assert.Equal(expected, Fails(With(opts)));
    }

    [Fact]
    public void Parse_AcceptsEveryOptionOfTheSchema()
    {
        var opts = new XmlRpcStruct
        {
            ["release"] = "",
            ["repo"] = new object?[] { "http://a", new XmlRpcStruct { ["baseurl"] = "http://b", ["package_sets"] = new object?[] { "build" } } },
            ["skip_tag"] = false,
            ["ostree"] = new XmlRpcStruct { ["parent"] = "p", ["ref"] = "r", ["url"] = "u" },
            ["customizations"] = new XmlRpcStruct { ["subscription"] = new XmlRpcStruct { ["organization"] = "1" }, ["partitioning_mode"] = "lvm" },
            ["upload_options"] = new XmlRpcStruct { ["region"] = "r", ["share_with_accounts"] = new object?[] { "1" } },
        };

        Assert.Same(opts, OsbuildImageArguments.Parse(With(opts)).Opts);
    }
}
