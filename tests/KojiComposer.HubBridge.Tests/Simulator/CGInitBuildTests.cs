using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubBridge.Tests.Simulator;

/// <summary>CGInitBuild's rules table (cg-import.md §2), each row with the stock hub's answer.</summary>
public sealed class CGInitBuildTests
{
    private const string Name = ContentGeneratorScenario.Name;

    [Fact]
    public async Task SameNvrAgain_WhileReservedWithoutTask_IsAlreadyReserved_ForAnyUserWithAccess()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await ContentGeneratorScenario.StartAsync(site);
        site.Seed(s => s.UserByName("releng")!.ContentGenerators.Add("osbuild"));
        await using var releng = await site.LoginUserAsync();

        var same = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => cg.Session.CGInitBuildAsync("osbuild", Name, "42", "1"));
        var other = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => releng.CGInitBuildAsync("osbuild", Name, "42", "1"));

        Assert.Equal(("Build is already reserved", "Build is already reserved"), (same.FaultString, other.FaultString));
        Assert.Equal(cg.Reservation.Token, site.BuildRow(cg.Reservation.BuildId).ReservationToken);
    }

    [Fact]
    public async Task SameNvrWithATaskId_WhileReservedWithoutTask_IsThePythonTypeError()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var releng = await site.LoginUserAsync();
        var taskId = await SimulatorSite.SubmitAsync(releng);
        await using var cg = await ContentGeneratorScenario.StartAsync(site);

        var fault = await Assert.ThrowsAsync<KojiHubInternalFault>(() => cg.Session.CGInitBuildAsync("osbuild", Name, "42", "1", taskId));

        Assert.Equal("<class 'TypeError'>: %d format: a real number is required, not NoneType", fault.FaultString);
    }

    [Fact]
    public async Task TaskLinkedReservation_SameTaskIsAlreadyReserved_OtherOrNoTaskIsInProgress()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var releng = await site.LoginUserAsync();
        var taskId = await SimulatorSite.SubmitAsync(releng);
        var otherTask = await SimulatorSite.SubmitAsync(releng);
        await using var cg = await ContentGeneratorScenario.StartAsync(site, taskId);

        var same = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => cg.Session.CGInitBuildAsync("osbuild", Name, "42", "1", taskId));
        var none = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => cg.Session.CGInitBuildAsync("osbuild", Name, "42", "1"));
        var other = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => cg.Session.CGInitBuildAsync("osbuild", Name, "42", "1", otherTask));

        Assert.Equal("Build is already reserved", same.FaultString);
        Assert.Equal($"Build already in progress (task {taskId})", none.FaultString);
        Assert.Equal($"Build already in progress (task {taskId})", other.FaultString);
        Assert.Equal(taskId, (await cg.Session.GetBuildAsync(cg.Reservation.BuildId))!.TaskId);
    }

    [Fact]
    public async Task CompleteNvr_AlreadyExists_WithTheReprOfTheHubsBuildData()
    {
        await using var site = await SimulatorSite.StartAsync();
        SimBuild complete = null!;
        site.Seed(s => complete = s.AddBuild(Name, "42", "7", "releng"));
        await using var cg = await site.LoginContentGeneratorAsync();

        var fault = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => cg.CGInitBuildAsync("osbuild", Name, "42", "7"));

        Assert.Equal(
            $"Build already exists (id={complete.Id}, state=COMPLETE): {{'name': 'Fedora-Cloud', 'version': '42', 'release': '7', 'owner': {site.Simulated.ContentGenerator.Id}, 'state': 0, " +
            $"'completion_time': None, 'cg_id': 1, 'epoch': None, 'pkg_id': {complete.PackageId}, 'extra': None, 'start_time': 'NOW', 'source': None, 'task_id': None, 'volume_id': 0, 'draft': False}}",
            fault.FaultString);
    }

    [Fact]
    public async Task RefundedNvr_IsRecycledUnderTheSameBuildId_WithANewToken()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await ContentGeneratorScenario.StartAsync(site);
        await cg.Session.CGRefundBuildAsync("osbuild", cg.Reservation, KojiSession.RefundFailed);
        var refunded = await cg.Session.GetBuildAsync(cg.Reservation.BuildId);

        var again = await cg.Session.CGInitBuildAsync("osbuild", Name, "42", "1");
        var oldToken = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => cg.Session.CGRefundBuildAsync("osbuild", cg.Reservation, 4));

        Assert.Equal(KojiBuildState.Failed, refunded!.State);
        Assert.NotNull(refunded.Raw["completion_time"]);
        Assert.Equal(cg.Reservation.BuildId, again.BuildId);
        Assert.NotEqual(cg.Reservation.Token, again.Token);
        Assert.Equal(KojiBuildState.Building, (await cg.Session.GetBuildAsync(again.BuildId))!.State);
        Assert.Equal($"Token doesn't match build ID {again.BuildId}", oldToken.FaultString);
    }

    [Fact]
    public async Task BadInput_IsRefusedBeforeAnythingIsReserved()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var cg = await site.LoginContentGeneratorAsync();
        await using var releng = await site.LoginUserAsync();
        var data = new XmlRpcStruct { ["name"] = Name, ["version"] = "42", ["release"] = "1" };

        var dash = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => cg.CGInitBuildAsync("osbuild", Name, "42", "1-2"));
        var unknown = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => cg.CGInitBuildAsync("nosuchcg", Name, "42", "1"));
        var access = await Assert.ThrowsAsync<KojiAuthErrorFault>(() => releng.CGInitBuildAsync("osbuild", Name, "42", "1"));
        var keyword = await Assert.ThrowsAsync<KojiParameterErrorFault>(() => cg.CallAsync(KojiCall.Write("CGInitBuild", "osbuild", data, KojiKeywordArguments.Of(("task_id", 1)))));
        var missingTask = await Assert.ThrowsAsync<KojiHubInternalFault>(() => cg.CGInitBuildAsync("osbuild", Name, "42", "1", 99999999));

        Assert.Equal("The \"-\" character not allowed in release field", dash.FaultString);
        Assert.Equal("No such entry in table content_generator: nosuchcg", unknown.FaultString);
        Assert.Equal("Content generator access required (osbuild)", access.FaultString);
        Assert.Equal("cg_init_build() got an unexpected keyword argument 'task_id'", keyword.FaultString);
        Assert.Equal(
            "<class 'psycopg2.errors.ForeignKeyViolation'>: insert or update on table \"build\" violates foreign key constraint \"build_task_id_fkey\"\nDETAIL:  Key (task_id)=(99999999) is not present in table \"task\".\n",
            missingTask.FaultString);
        Assert.Empty(site.Read(s => s.Builds.Values.ToList()));
    }

    [Fact]
    public async Task CGRefundBuild_TakesOnlyFailedOrCanceled_OnceOnABuildingBuild_AndLeavesTheTaskOpen()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        await using var releng = await site.LoginUserAsync();
        var taskId = await site.OpenTaskAsync(host, releng);
        await using var cg = await ContentGeneratorScenario.StartAsync(site, taskId);

        var complete = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => cg.Session.CallAsync(KojiCall.Write("CGRefundBuild", "osbuild", cg.Reservation.BuildId, cg.Reservation.Token, 1)));
        await cg.Session.CGRefundBuildAsync("osbuild", cg.Reservation, KojiSession.RefundCanceled);
        var twice = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => cg.Session.CGRefundBuildAsync("osbuild", cg.Reservation, 3));

        Assert.Equal("Only FAILED/CANCELED build states are allowed", complete.FaultString);
        Assert.Equal($"Build ID {cg.Reservation.BuildId} is not in BUILDING state", twice.FaultString);
        var build = site.BuildRow(cg.Reservation.BuildId);
        Assert.Equal((BuildState.Canceled, (string?)null), (build.State, build.ReservationToken));
        Assert.Equal(TaskState.Open, site.TaskRow(taskId).State);
    }

    [Fact]
    public async Task FailTask_LeavesATaskLinkedReservationBuilding()
    {
        await using var site = await SimulatorSite.StartAsync();
        await using var host = await site.LoginHostAsync();
        await using var releng = await site.LoginUserAsync();
        var taskId = await site.OpenTaskAsync(host, releng);
        await using var cg = await ContentGeneratorScenario.StartAsync(site, taskId);

        await host.FailTaskAsync(taskId, 1005, "Compose failed (id: x)");
        var again = await Assert.ThrowsAsync<KojiGenericErrorFault>(() => cg.Session.CGInitBuildAsync("osbuild", Name, "42", "1", taskId));

        Assert.Equal(BuildState.Building, site.BuildRow(cg.Reservation.BuildId).State);
        Assert.Equal("Build is already reserved", again.FaultString);
    }
}
