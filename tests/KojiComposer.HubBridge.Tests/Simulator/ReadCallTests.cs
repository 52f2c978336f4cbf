using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubBridge.Uploads;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubBridge.Tests.Simulator;

/// <summary>The read calls the builder makes (koji-wire.md §10), anonymous as the CLI makes them or in a session.</summary>
public sealed class ReadCallTests
{
    [Fact]
    public async Task GetBuildTarget_FindsByNameOrId_AndStrictlyRefusesUnknownTargets()
    {
        await using var site = await SimulatorSite.StartAsync();
        using var hub = new KojiHubConnection(site.Simulated.ClientOptions());

        var byName = await hub.GetBuildTargetAsync("f42-candidate", strict: true);
        var byId = KojiBuildTargetOf(await hub.CallAsync(KojiCall.Read("getBuildTarget", site.Target.Id)));
        var missing = await hub.GetBuildTargetAsync("nope");
        var strict = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => hub.GetBuildTargetAsync("nope", strict: true));

        Assert.Equal(new KojiBuildTarget(site.Target.Id, "f42-candidate", site.BuildTag.Id, "f42-build", site.DestTag.Id, "f42"), byName);
        Assert.Equal(byName, byId);
        Assert.Null(missing);
        Assert.Equal("No such build target: nope", strict.FaultString);
    }

    private static KojiBuildTarget KojiBuildTargetOf(object? reply)
    {
        var s = (XmlRpcStruct)reply!;
        return new KojiBuildTarget(Convert.ToInt64(s["id"], System.Globalization.CultureInfo.InvariantCulture), (string)s["name"]!,
            Convert.ToInt64(s["build_tag"], System.Globalization.CultureInfo.InvariantCulture), (string)s["build_tag_name"]!,
            Convert.ToInt64(s["dest_tag"], System.Globalization.CultureInfo.InvariantCulture), (string)s["dest_tag_name"]!);
    }

    [Fact]
    public async Task GetBuildConfig_InheritsArchesAndExtraFromTheParent_AndSaysFromWhere()
    {
        await using var site = await SimulatorSite.StartAsync();
        using var hub = new KojiHubConnection(site.Simulated.ClientOptions());

        var config = await hub.GetBuildConfigAsync(site.BuildTag.Id);
        var tag = await hub.GetTagAsync("f42-build");
        var unknown = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => hub.GetTagAsync("nope", strict: true));

        Assert.Equal(("f42-build", "x86_64 aarch64"), (config.Name, config.Arches));
        Assert.Equal(".fc42", config.Extra!["rpm.macro.dist"]);
        Assert.Equal("dnf", config.Extra["mock.package_manager"]);
        var inheritance = (XmlRpcStruct)config.Raw["config_inheritance"]!;
        Assert.Equal("f42-base", ((XmlRpcStruct)inheritance["arches"]!)["name"]);
        Assert.Equal("f42-base", ((XmlRpcStruct)((XmlRpcStruct)inheritance["extra"]!)["mock.package_manager"]!)["name"]);
        Assert.Null(tag!.Arches);
        Assert.Equal("No such tagInfo: 'nope'", unknown.FaultString);
    }

    [Fact]
    public async Task GetRepo_GivesTheNewestReadyRepo_AndRepoRequestTheSameOrARequest()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        SimRepo newer = null!;
        site.Seed(s =>
        {
            newer = s.AddRepo("f42-build", site.Clock.GetUtcNow().AddMinutes(5));
            s.AddRepo("f42-build", site.Clock.GetUtcNow().AddMinutes(9), RepoState.Init);
        });

        var repo = await host.GetRepoAsync("f42-build");
        var current = await host.GetCurrentRepoAsync(site.BuildTag.Id);
        var none = await host.GetRepoAsync("f42");
        var request = (XmlRpcStruct)(await host.CallAsync(KojiCall.Read("repo.request", "f42")))!;

        Assert.Equal((newer.Id, 1, site.BuildTag.Id, "f42-build"), (repo!.Id, repo.State, repo.TagId, repo.TagName));
        Assert.Equal(newer.Id, current!.Id);
        Assert.Null(none);
        Assert.Null(request["repo"]);
        Assert.Equal((int)site.DestTag.Id, ((XmlRpcStruct)request["request"]!)["tag_id"]);
        Assert.Single(site.Read(s => s.RepoRequests.Values.ToList()));
    }

    [Theory]
    [InlineData(null, BuildState.Complete, "1")]
    [InlineData("1", BuildState.Building, "2")]
    [InlineData("1", BuildState.Failed, "1")]
    [InlineData("1", BuildState.Canceled, "1")]
    [InlineData("123", BuildState.Deleted, "124")]
    [InlineData("123.el8", BuildState.Complete, "124.el8")]
    [InlineData("20250101.n.3", BuildState.Complete, "20250101.n.4")]
    public async Task GetNextRelease_IncrementsTheNewestLiveRelease(string? existing, BuildState state, string next)
    {
        await using var site = await SimulatorSite.StartAsync();
        using var hub = new KojiHubConnection(site.Simulated.ClientOptions());
        if (existing is not null)
        {
            site.Seed(s => s.AddBuild("Fedora-Cloud", "42", existing, "releng", state));
        }

        Assert.Equal(next, await hub.GetNextReleaseAsync("Fedora-Cloud", "42"));
    }

    [Theory]
    [InlineData("1.2.3.4")]
    [InlineData("beta")]
    [InlineData("rc.1")]
    public async Task GetNextRelease_CannotIncrementOtherShapes_AndSaysSoAsBuildError(string release)
    {
        await using var site = await SimulatorSite.StartAsync();
        using var hub = new KojiHubConnection(site.Simulated.ClientOptions());
        site.Seed(s => s.AddBuild("Fedora-Cloud", "42", release, "releng"));

        var fault = await Assert.ThrowsAsync<KojiBuildErrorFault>(() => hub.GetNextReleaseAsync("Fedora-Cloud", "42"));

        Assert.Equal($"Unable to increment release value: {release}", fault.FaultString);
    }

    [Fact]
    public async Task GetNextRelease_CountsALiveReservation()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await ContentGeneratorScenario.StartAsync(site);

        var whileReserved = await cg.Session.GetNextReleaseAsync("Fedora-Cloud", "42");
        await cg.Session.CGRefundBuildAsync("osbuild", cg.Reservation, 3);

        Assert.Equal("2", whileReserved);
        Assert.Equal("1", await cg.Session.GetNextReleaseAsync("Fedora-Cloud", "42"));
    }

    [Fact]
    public async Task TaskOutput_IsListedAndDownloadable_InEveryForm()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        await using var releng = await site.LoginUserAsync();
        var id = await site.OpenTaskAsync(host, releng);
        var content = "0123456789abcdef"u8.ToArray();
        await host.UploadAsync(new MemoryStream(content), KojiPaths.TaskOutputDirectory(id), "compose-status.json");

        var volumes = (XmlRpcStruct)(await releng.CallAsync(KojiCall.Read("listTaskOutput", id, KojiKeywordArguments.Of(("all_volumes", true)))))!;
        var stat = (XmlRpcStruct)(await releng.CallAsync(KojiCall.Read("listTaskOutput", id, KojiKeywordArguments.Of(("stat", true)))))!;
        var whole = await releng.CallAsync(KojiCall.Read("downloadTaskOutput", id, "compose-status.json"));
        var part = await releng.CallAsync(KojiCall.Read("downloadTaskOutput", id, "compose-status.json", KojiKeywordArguments.Of(("offset", 10), ("size", 4))));
        var missing = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => releng.CallAsync(KojiCall.Read("downloadTaskOutput", id, "nope.log")));

        Assert.Equal(["DEFAULT"], (object?[])volumes["compose-status.json"]!);
        Assert.Equal("16", ((XmlRpcStruct)stat["compose-status.json"]!)["st_size"]);
        Assert.Equal(content, Convert.FromBase64String((string)whole!));
        Assert.Equal("abcd"u8.ToArray(), Convert.FromBase64String((string)part!));
        Assert.Equal($"no file \"nope.log\" output by task {id}", missing.FaultString);
    }

    [Fact]
    public async Task GetTaskInfo_TakesAListOfIds_AndGivesNilForUnknownTasks()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var releng = await site.LoginUserAsync();
        var id = await SimulatorSite.SubmitAsync(releng);

        var list = (object?[])(await releng.CallAsync(KojiCall.Read("getTaskInfo", [new object?[] { id, 999 }])))!;

        Assert.Equal(id, ((XmlRpcStruct)list[0]!)["id"] is int i ? i : -1);
        Assert.Null(list[1]);
        Assert.Null(await releng.GetTaskInfoAsync(999));
        Assert.Equal(
            ["arch", "awaited", "channel_id", "completion_time", "completion_ts", "create_time", "create_ts", "host_id", "id", "label", "method", "owner", "parent", "priority", "start_time", "start_ts", "state", "waiting", "weight"],
            ((XmlRpcStruct)list[0]!).Keys);
    }
}
