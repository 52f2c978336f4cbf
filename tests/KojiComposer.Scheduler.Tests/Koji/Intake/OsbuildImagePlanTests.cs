using System.Text.Json.Nodes;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.State;
using KojiComposer.Scheduler.Koji.Intake;

namespace KojiComposer.Scheduler.Tests.Koji.Intake;

/// <summary>The builder procedure's steps 1-7 and the compose it makes (osbuildimage-task.md §4, §5.3, §7)
/// against Fixture F in the hub simulator.</summary>
public sealed class OsbuildImagePlanTests
{
    private static JsonNode Json(string text) => JsonNode.Parse(text)!;

    private static JsonArray Images(OsbuildImagePlan plan) => plan.ComposeRequest["image_requests"]!.AsArray();

    [Fact] // TC-01
    public async Task ResolveAsync_UsesTheBuildTagRepoAndNextRelease_WhenOptsAreEmpty()
    {
        await using var site = await FixtureF.StartAsync();

        var plan = await site.ResolveAsync("qcow2", ["x86_64", "aarch64"]);

        Assert.Equal(["getBuildTarget", "getBuildConfig", "repo.request", "getNextRelease"], site.Methods);
        var calls = site.Calls;
        Assert.Equal("fedora-candidate", calls[0].Params[0]);
        Assert.Equal(true, ((XmlRpcStruct)calls[0].Params[1]!)["strict"]);
        Assert.Equal(23, Convert.ToInt64(calls[1].Params[0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(23, Convert.ToInt64(calls[2].Params[0], System.Globalization.CultureInfo.InvariantCulture));
        var build = (XmlRpcStruct)calls[3].Params[0]!;
        Assert.Equal(("Fedora-Cloud", "39"), (build["name"], build["version"]));

        var repo = "https://koji.example.com/kojifiles/repos/fedora-build/20201015";
        Assert.Equal(
            $$"""
            {
                "distribution": "fedora-39",
                "image_requests": [
                    {
                        "architecture": "x86_64",
                        "image_type": "guest-image",
                        "repositories": [
                            {
                                "baseurl": "{{repo}}/x86_64",
                                "rhsm": false
                            }
                        ]
                    },
                    {
                        "architecture": "aarch64",
                        "image_type": "guest-image",
                        "repositories": [
                            {
                                "baseurl": "{{repo}}/aarch64",
                                "rhsm": false
                            }
                        ]
                    }
                ],
                "koji": {
                    "name": "Fedora-Cloud",
                    "release": "1",
                    "server": "{{site.HubUrl}}",
                    "task_id": 12345,
                    "version": "39"
                }
            }
            """.ReplaceLineEndings("\n"),
            PythonJson.Serialize(plan.ComposeRequest));
        Assert.True(plan.ReleaseGenerated);
        Assert.False(plan.SkipTag);
        Assert.Equal((42L, "fedora-dest"), (plan.DestTagId, plan.DestTagName));
        Assert.Empty(plan.Warnings);
    }

    [Fact] // TC-01, step 9
    public async Task ToNewCompose_MakesOneImagePerArch_ForTheTaskAndItsGeneratedRelease()
    {
        await using var site = await FixtureF.StartAsync();
        var plan = await site.ResolveAsync("qcow2", ["x86_64", "aarch64"]);

        var compose = plan.ToNewCompose("releng");

        Assert.Equal(("Fedora-Cloud", "39", "1", "fedora-39"), (compose.Name, compose.Version, compose.Release, compose.Distribution));
        Assert.True(compose.ReleaseGenerated);
        Assert.Equal(12345, compose.KojiTaskId);
        Assert.Equal(site.HubUrl, compose.KojiServer);
        Assert.Equal("releng", compose.SubmittedBy);
        Assert.Equal([("x86_64", "guest-image"), ("aarch64", "guest-image")], compose.Images.Select(i => (i.Arch, i.ImageType)));
        Assert.True(JsonNode.DeepEquals(Images(plan)[1], compose.Images[1].ImageRequest));
        Assert.True(JsonNode.DeepEquals(plan.ComposeRequest, compose.Request));
    }

    [Fact]
    public async Task ResolveAsync_JoinsTheTopUrl_WithOrWithoutATrailingSlash()
    {
        await using var site = await FixtureF.StartAsync();
        var arguments = OsbuildImageArguments.Parse(FixtureF.Request("qcow2", ["s390x"]));

        var plan = await OsbuildImagePlan.ResolveAsync(site.Host, FixtureF.TaskId, arguments, new Uri("https://koji.example.com/kojifiles/"), CancellationToken.None);

        Assert.Equal("https://koji.example.com/kojifiles/repos/fedora-build/20201015/s390x", Images(plan)[0]!["repositories"]![0]!["baseurl"]!.GetValue<string>());
    }

    [Fact] // TC-02
    public async Task ResolveAsync_AsksNoRepoAndNoRelease_WhenOptsGiveThem()
    {
        await using var site = await FixtureF.StartAsync();
        var opts = new XmlRpcStruct
        {
            ["repo"] = new object?[] { "http://1.repo/$arch/os", "https://2.repo" },
            ["release"] = "20200202.n2",
            ["skip_tag"] = true,
        };

        var plan = await site.ResolveAsync("qcow2", ["x86_64", "s390x"], opts);

        Assert.Equal(["getBuildTarget", "getBuildConfig"], site.Methods);
        Assert.True(JsonNode.DeepEquals(
            Json("""[{"baseurl":"http://1.repo/s390x/os","rhsm":false},{"baseurl":"https://2.repo","rhsm":false}]"""),
            Images(plan)[1]!["repositories"]));
        Assert.Equal("x86_64", Images(plan)[0]!["architecture"]!.GetValue<string>());
        Assert.Equal("http://1.repo/x86_64/os", Images(plan)[0]!["repositories"]![0]!["baseurl"]!.GetValue<string>());
        Assert.Equal("20200202.n2", plan.ComposeRequest["koji"]!["release"]!.GetValue<string>());
        Assert.True(plan.SkipTag);
        Assert.False(plan.ReleaseGenerated);
        Assert.False(plan.ToNewCompose(null).ReleaseGenerated);
    }

    [Fact] // TC-03
    public async Task ResolveAsync_KeepsRepoObjectsAndTheirPackageSets_InOrder()
    {
        await using var site = await FixtureF.StartAsync();
        var opts = new XmlRpcStruct
        {
            ["repo"] = new object?[]
            {
                new XmlRpcStruct { ["baseurl"] = "https://first.repo/$arch", ["package_sets"] = new object?[] { "a", "b" } },
                new XmlRpcStruct { ["baseurl"] = "https://third.repo/$arch" },
                "https://plain/$arch",
            },
        };

        var plan = await site.ResolveAsync("qcow2", ["x86_64"], opts);

        Assert.True(JsonNode.DeepEquals(
            Json("""
                 [{"baseurl":"https://first.repo/x86_64","package_sets":["a","b"],"rhsm":false},
                  {"baseurl":"https://third.repo/x86_64","rhsm":false},
                  {"baseurl":"https://plain/x86_64","rhsm":false}]
                 """),
            Images(plan)[0]!["repositories"]));
        Assert.DoesNotContain("upload_options", plan.ComposeRequest.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact] // TC-04
    public async Task ResolveAsync_TemplatesOstreeParentAndRef_ButNotItsUrl()
    {
        await using var site = await FixtureF.StartAsync();
        var opts = new XmlRpcStruct
        {
            ["ostree"] = new XmlRpcStruct { ["parent"] = "osbuild/$arch/p", ["ref"] = "osbuild/$arch/r", ["url"] = "https://osbuild.org/$arch/repo" },
        };

        var plan = await site.ResolveAsync("edge-commit", ["x86_64", "aarch64"], opts);

        foreach (var (image, arch) in Images(plan).Zip(["x86_64", "aarch64"]))
        {
            Assert.Equal("edge-commit", image!["image_type"]!.GetValue<string>());
            Assert.True(JsonNode.DeepEquals(
                Json($$"""{"parent":"osbuild/{{arch}}/p","ref":"osbuild/{{arch}}/r","url":"https://osbuild.org/$arch/repo"}"""),
                image["ostree"]));
        }
    }

    [Fact]
    public async Task ResolveAsync_LeavesOutEmptyOstreeKeys()
    {
        await using var site = await FixtureF.StartAsync();
        var opts = new XmlRpcStruct { ["ostree"] = new XmlRpcStruct { ["parent"] = "", ["ref"] = "fedora/$arch/iot" } };

        var plan = await site.ResolveAsync("iot-commit", ["aarch64"], opts);

        Assert.True(JsonNode.DeepEquals(Json("""{"ref":"fedora/aarch64/iot"}"""), Images(plan)[0]!["ostree"]));
    }

    [Fact] // TC-05 (request side)
    public async Task ResolveAsync_CopiesUploadOptionsIntoEveryImage()
    {
        await using var site = await FixtureF.StartAsync();
        var upload = new XmlRpcStruct { ["region"] = "us-east-1", ["share_with_accounts"] = new object?[] { "123456789012" } };

        var plan = await site.ResolveAsync("aws", ["x86_64", "aarch64"], new XmlRpcStruct { ["upload_options"] = upload });

        var expected = Json("""{"region":"us-east-1","share_with_accounts":["123456789012"]}""");
        Assert.All(Images(plan), image => Assert.True(JsonNode.DeepEquals(expected, image!["upload_options"])));
        Assert.Equal(["x86_64-aws.log.json", "aarch64-aws.log.json"],
            plan.ToNewCompose(null).Images.Select((i, n) => TaskDocuments.ImageLogFile(ComposeImageOf(i, n))));
    }

    [Fact]
    public async Task ResolveAsync_LeavesOutEmptyUploadOptionsAndCustomizations()
    {
        await using var site = await FixtureF.StartAsync();
        var opts = new XmlRpcStruct { ["upload_options"] = new XmlRpcStruct(), ["customizations"] = new XmlRpcStruct() };

        var plan = await site.ResolveAsync("qcow2", ["x86_64"], opts);

        Assert.Null(plan.ComposeRequest["customizations"]);
        Assert.Null(Images(plan)[0]!["upload_options"]);
    }

    [Fact] // TC-06
    public async Task ResolveAsync_PutsCustomizationsAtTheTopLevel_Verbatim()
    {
        await using var site = await FixtureF.StartAsync();
        var customizations = new XmlRpcStruct
        {
            ["packages"] = new object?[] { "emacs" },
            ["partitioning_mode"] = "lvm",
            ["subscription"] = new XmlRpcStruct { ["organization"] = "1" },
        };

        var plan = await site.ResolveAsync("qcow2", ["x86_64"], new XmlRpcStruct { ["customizations"] = customizations });

        Assert.True(JsonNode.DeepEquals(
            Json("""{"packages":["emacs"],"partitioning_mode":"lvm","subscription":{"organization":"1"}}"""),
            plan.ComposeRequest["customizations"]));
        Assert.Equal(["architecture", "image_type", "repositories"], Images(plan)[0]!.AsObject().Select(p => p.Key));
        Assert.True(JsonNode.DeepEquals(plan.ComposeRequest["customizations"], plan.ToNewCompose(null).Customizations));
    }

    [Fact] // TC-09
    public async Task ResolveAsync_Fails1005_WhenAnArchIsNotInTheBuildTag()
    {
        await using var site = await FixtureF.StartAsync();

        var failure = await Assert.ThrowsAsync<KojiTaskFailure>(() => site.ResolveAsync("qcow2", ["x86_64", "riscv64"]));

        Assert.Equal((1005, "Unsupported architecture(s): {'riscv64'}"), (failure.FaultCode, failure.FaultString));
        Assert.Equal(["getBuildTarget", "getBuildConfig"], site.Methods);
    }

    [Fact]
    public async Task ResolveAsync_NamesEveryUnsupportedArch_InRequestOrder()
    {
        await using var site = await FixtureF.StartAsync();

        var failure = await Assert.ThrowsAsync<KojiTaskFailure>(() => site.ResolveAsync("qcow2", ["riscv64", "x86_64", "mips64"]));

        Assert.Equal("Unsupported architecture(s): {'riscv64', 'mips64'}", failure.FaultString);
    }

    [Fact] // TC-10
    public async Task ResolveAsync_FailsWithTheHubsFault_WhenTheTargetIsUnknown()
    {
        await using var site = await FixtureF.StartAsync();

        var failure = await Assert.ThrowsAsync<KojiTaskFailure>(() => OsbuildImagePlan.ResolveAsync(
            site.Host, FixtureF.TaskId, OsbuildImageArguments.Parse(FixtureF.Request("qcow2", ["x86_64"], target: "nope")), FixtureF.TopUrl, CancellationToken.None));

        Assert.Equal((1000, "No such build target: nope"), (failure.FaultCode, failure.FaultString));
        Assert.Equal(["getBuildTarget"], site.Methods);
    }

    [Fact]
    public async Task ResolveAsync_LetsTransientHubTroubleThrough_SoTheTaskIsRetried()
    {
        await using var site = await FixtureF.StartAsync();
        site.Hub.Offline = true;

        await Assert.ThrowsAsync<KojiServerOfflineFault>(() => site.ResolveAsync("qcow2", ["x86_64"]));
    }

    [Fact]
    public async Task ToNewCompose_Fails1000NamingTheMissingOption_WhenTheUploadOptionsDoNotFitTheImageTypesTarget()
    {
        // {"region"} passes the hub (it is the S3 and the GCP shape) but an Azure image needs the Azure shape.
        await using var site = await FixtureF.StartAsync();
        var plan = await site.ResolveAsync("azure", ["x86_64"], new XmlRpcStruct { ["upload_options"] = new XmlRpcStruct { ["region"] = "westeurope" } });

        var failure = Assert.Throws<KojiTaskFailure>(() => plan.ToNewCompose("releng"));

        const string Prefix = "Failed to create the compose request: ";
        Assert.Equal(1000, failure.FaultCode);
        var body = JsonNode.Parse(failure.FaultString[Prefix.Length..])!.AsObject();
        Assert.Equal(("38", "Invalid upload target for image type"), (body["id"]!.GetValue<string>(), body["reason"]!.GetValue<string>()));
        Assert.StartsWith("image request 0: upload_options for target azure: \"tenant_id\" is required", body["details"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact] // TC-11
    public async Task ToNewCompose_Fails1000WithTheApisErrorObject_WhenTheImageTypeIsUnknown()
    {
        await using var site = await FixtureF.StartAsync();
        var plan = await site.ResolveAsync("vhd", ["x86_64"]);

        var failure = Assert.Throws<KojiTaskFailure>(() => plan.ToNewCompose("releng"));

        const string Prefix = "Failed to create the compose request: ";
        Assert.Equal(1000, failure.FaultCode);
        Assert.StartsWith(Prefix, failure.FaultString, StringComparison.Ordinal);
        var body = JsonNode.Parse(failure.FaultString[Prefix.Length..])!.AsObject();
        Assert.Equal("IMAGE-BUILDER-COMPOSER-6", body["code"]!.GetValue<string>());
        Assert.Equal(("6", "Error", "Unsupported image type", "image request 0: vhd"),
            (body["id"]!.GetValue<string>(), body["kind"]!.GetValue<string>(), body["reason"]!.GetValue<string>(), body["details"]!.GetValue<string>()));
        Assert.DoesNotContain("\n", failure.FaultString, StringComparison.Ordinal);
    }

    [Fact] // TC-11
    public async Task ToNewCompose_Fails1000_WhenTheDistributionIsMalformed()
    {
        await using var site = await FixtureF.StartAsync();
        var plan = await site.ResolveAsync("qcow2", ["x86_64"], distro: "Fedora Linux");

        var failure = Assert.Throws<KojiTaskFailure>(() => plan.ToNewCompose(null));

        Assert.Contains("\"code\":\"IMAGE-BUILDER-COMPOSER-4\"", failure.FaultString, StringComparison.Ordinal);
        Assert.Contains("\"details\":\"Fedora Linux\"", failure.FaultString, StringComparison.Ordinal);
    }

    [Theory] // TC-14
    [InlineData("repo")]
    [InlineData("ostree")]
    public async Task ResolveAsync_Fails1005BeforeAnyHubWrite_WhenAPlaceholderIsUnknown(string where)
    {
        await using var site = await FixtureF.StartAsync();
        var opts = where == "repo"
            ? new XmlRpcStruct { ["repo"] = new object?[] { "https://r/$basearch" } }
            : new XmlRpcStruct { ["ostree"] = new XmlRpcStruct { ["ref"] = "https://r/$basearch" } };

        var failure = await Assert.ThrowsAsync<KojiTaskFailure>(() => site.ResolveAsync("edge-commit", ["x86_64"], opts));

        Assert.Equal(1005, failure.FaultCode);
        Assert.StartsWith("Invalid placeholder in 'https://r/$basearch': unknown name 'basearch'", failure.FaultString, StringComparison.Ordinal);
        Assert.Equal(["getBuildTarget", "getBuildConfig"], site.Methods); // no repo.request, no getNextRelease
    }

    [Theory] // TC-15
    [InlineData("qcow2", "guest-image")]
    [InlineData("ec2", "aws-rhui")]
    [InlineData("ec2-ha", "aws-ha-rhui")]
    [InlineData("ec2-sap", "aws-sap-rhui")]
    [InlineData("vhd", "vhd")]
    [InlineData("guest-image", "guest-image")]
    public async Task ResolveAsync_MapsTheOldKojiImageTypeNames(string given, string mapped)
    {
        await using var site = await FixtureF.StartAsync();

        var plan = await site.ResolveAsync(given, ["x86_64"]);

        Assert.Equal(mapped, Images(plan)[0]!["image_type"]!.GetValue<string>());
        if (mapped != "vhd")
        {
            var image = ComposeImageOf(plan.ToNewCompose(null).Images[0], 0);
            Assert.Equal(($"x86_64-{mapped}.manifest.json", $"x86_64-{mapped}.log.json"), (TaskDocuments.ManifestFile(image), TaskDocuments.ImageLogFile(image)));
        }
    }

    [Fact] // TC-16
    public async Task ResolveAsync_CanonicalisesTagArchesOnly()
    {
        await using var site = await FixtureF.StartAsync();
        site.Seed(s => s.Tags[FixtureF.BuildTagId].Arches = "i686 x86_64");

        var failure = await Assert.ThrowsAsync<KojiTaskFailure>(() => site.ResolveAsync("qcow2", ["i686"]));
        var plan = await site.ResolveAsync("qcow2", ["i386"]);

        Assert.Equal((1005, "Unsupported architecture(s): {'i686'}"), (failure.FaultCode, failure.FaultString));
        Assert.Equal("i386", Images(plan)[0]!["architecture"]!.GetValue<string>());
    }

    [Fact] // TC-17
    public async Task ResolveAsync_TurnsDoubleDollarIntoALiteralDollar()
    {
        await using var site = await FixtureF.StartAsync();

        var plan = await site.ResolveAsync("qcow2", ["x86_64"], new XmlRpcStruct { ["repo"] = new object?[] { "https://r/$$arch/$arch" } });

        Assert.Equal("https://r/$arch/x86_64", Images(plan)[0]!["repositories"]![0]!["baseurl"]!.GetValue<string>());
    }

    [Theory] // TC-18
    [InlineData("")]
    [InlineData(null)]
    public async Task ResolveAsync_Fails1005_WhenTheBuildTagHasNoArches(string? arches)
    {
        await using var site = await FixtureF.StartAsync();
        site.Seed(s => s.Tags[FixtureF.BuildTagId].Arches = arches);

        var failure = await Assert.ThrowsAsync<KojiTaskFailure>(() => site.ResolveAsync("qcow2", ["x86_64"]));

        Assert.Equal((1005, "Missing arches for tag '%fedora-build'"), (failure.FaultCode, failure.FaultString));
    }

    [Fact]
    public async Task ResolveAsync_Fails1005_NamingTheMissingTopUrl_WhenTheTaskNeedsTheBuildTagsRepo()
    {
        await using var site = await FixtureF.StartAsync();

        var failure = await Assert.ThrowsAsync<KojiTaskFailure>(() => site.ResolveAsync("qcow2", ["x86_64"], withTopUrl: false));

        Assert.Equal(1005, failure.FaultCode);
        Assert.Equal("No repo available for tag 'fedora-build': the task names no repositories and this KojiComposer has no hub.topurl configured to reach the build tag's repository", failure.FaultString);
    }

    [Fact]
    public async Task ResolveAsync_Fails1005_WhenTheBuildTagHasNoReadyRepo()
    {
        await using var site = await FixtureF.StartAsync();
        site.Seed(s => s.Repos[FixtureF.RepoId].State = RepoState.Expired);

        var failure = await Assert.ThrowsAsync<KojiTaskFailure>(() => site.ResolveAsync("qcow2", ["x86_64"]));

        Assert.Equal((1005, "No repo available for tag 'fedora-build'"), (failure.FaultCode, failure.FaultString));
        Assert.DoesNotContain("getNextRelease", site.Methods);
    }

    [Fact]
    public async Task ResolveAsync_PassesTheHubsReleaseFault_WhenTheReleaseCannotBeIncremented()
    {
        await using var site = await FixtureF.StartAsync();
        site.Seed(s => s.AddBuild("Fedora-Cloud", "39", "abc", "releng"));

        var failure = await Assert.ThrowsAsync<KojiTaskFailure>(() => site.ResolveAsync("qcow2", ["x86_64"]));

        Assert.Equal((1005, "Unable to increment release value: abc"), (failure.FaultCode, failure.FaultString));
    }

    [Fact]
    public async Task ResolveAsync_TakesTheReleaseAfterTheNewestBuild()
    {
        await using var site = await FixtureF.StartAsync();
        site.Seed(s => s.AddBuild("Fedora-Cloud", "39", "4", "releng"));

        var plan = await site.ResolveAsync("qcow2", ["x86_64"]);

        Assert.Equal("5", plan.ComposeRequest["koji"]!["release"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("azure", ".vhd")]
    [InlineData("gcp", ".tar.gz")]
    [InlineData("iot-commit", ".tar")]
    [InlineData("vsphere-ova", ".ova")]
    [InlineData("wsl", ".wsl")]
    public async Task ResolveAsync_Warns_WhenPungiSkipsTheImageTypesArchive(string imageType, string extension)
    {
        await using var site = await FixtureF.StartAsync();

        var plan = await site.ResolveAsync(imageType, ["x86_64"]);

        var warning = Assert.Single(plan.Warnings);
        Assert.Contains($"image type {imageType} makes a {extension} file", warning, StringComparison.Ordinal);
        Assert.Contains("Pungi", warning, StringComparison.Ordinal);
    }

    private static Model.ComposeImage ComposeImageOf(Model.NewComposeImage image, int index) => new()
    {
        Index = index,
        Arch = image.Arch,
        ImageType = image.ImageType,
        ImageRequest = image.ImageRequest,
        State = Model.ImageState.Pending,
    };
}
