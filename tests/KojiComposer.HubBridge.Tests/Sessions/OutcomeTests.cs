using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubBridge.Transport;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.Testing.Hub;

namespace KojiComposer.HubBridge.Tests.Sessions;

/// <summary>Writes whose outcome is unclear are checked, never re-run blindly; sessions are never fought over.</summary>
public sealed class OutcomeTests
{
    [Fact]
    public async Task ForcedOutSession_LogsOutQuietly_WithoutLoggingInAgainOrTakingExclusivityBack()
    {
        await using var hub = await SimulatedHub.StartAsync();
        var old = await hub.LoginAsync(SimulatedHub.HostIdentity, exclusive: true, force: true);
        await using var current = await hub.LoginAsync(SimulatedHub.HostIdentity, exclusive: true, force: true);
        var logins = hub.Hub.CallsTo("sslLogin").Count;

        await old.DisposeAsync();

        Assert.Equal(logins, hub.Hub.CallsTo("sslLogin").Count);
        Assert.Equal(1002, hub.Hub.CallsTo("logout")[^1].FaultCode);
        Assert.Equal(hub.Builder1.Id, await current.GetHostIdAsync());
    }

    [Fact]
    public async Task LostExclusiveSessionReply_StillGivesAnExclusiveSession()
    {
        await using var hub = await SimulatedHub.StartAsync();
        var drop = true;
        hub.Hub.DropReplyAfterRunning = method => method == "exclusiveSession" && drop && !(drop = false);

        await using var session = await hub.LoginAsync(SimulatedHub.HostIdentity, exclusive: true);

        Assert.True(session.IsExclusive);
        Assert.Equal(hub.Builder1.Id, await session.GetHostIdAsync());
        Assert.Equal([null, 1009], hub.Hub.CallsTo("exclusiveSession").Select(c => c.FaultCode));
    }

    [Fact]
    public async Task LoginThatFailsAfterExclusiveSessionRan_ClosesItsSession_SoTheNextLoginIsNotLockedOut()
    {
        await using var hub = await SimulatedHub.StartAsync();
        var ran = false;
        // exclusiveSession runs on the hub but its reply is lost, and every re-send then meets a 503: the login fails
        // holding a session the hub made exclusive (what a shutdown cutting the login off also leaves).
        hub.Hub.DropReplyAfterRunning = method => method == "exclusiveSession" && !ran && (ran = true);
        hub.Hub.FailRpcWithStatus = method => method == "exclusiveSession" && ran ? 503 : null;
        var options = hub.ClientOptions() with { Retry = new KojiRetryOptions { Attempts = 2, InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero } };

        await Assert.ThrowsAnyAsync<KojiException>(() => hub.LoginAsync(SimulatedHub.HostIdentity, exclusive: true, options: options));
        hub.Hub.FailRpcWithStatus = null;

        Assert.Null(hub.Hub.CallsTo("logout")[^1].FaultCode);
        await using var next = await hub.LoginAsync(SimulatedHub.HostIdentity, exclusive: true);
        Assert.True(next.IsExclusive);
    }

    [Fact]
    public async Task WriteResentAfterItsSessionExpired_IsCheckedNotRunAgain()
    {
        await using var hub = await SimulatedHub.StartAsync();
        await using var session = await hub.LoginAsync(SimulatedHub.UserIdentity);
        var runs = 0;
        hub.Hub.Dispatcher.Register("test.write", call =>
        {
            runs++;
            call.Commit();
            return null;
        });
        var drop = true;
        hub.Hub.DropReplyAfterRunning = method =>
        {
            if (method != "test.write" || !drop)
            {
                return false;
            }

            drop = false;
            lock (hub.Hub.State.Sync)
            {
                hub.Hub.State.Sessions[session.SessionId].Expired = true;
            }

            return true;
        };

        var result = await session.CallAsync(KojiCall.Write("test.write") with { IfAlreadyCommitted = _ => Task.FromResult<object?>("checked") });

        Assert.Equal("checked", result);
        Assert.Equal(1, runs);
        Assert.Equal(1007, hub.Hub.CallsTo("test.write")[^1].FaultCode);
    }

    [Fact]
    public async Task LostTaskLinkedReservation_IsReported_WithoutCancellingTheTask()
    {
        await using var hub = await SimulatedHub.StartAsync();
        await using var cg = await hub.LoginAsync(SimulatedHub.ContentGeneratorIdentity);
        var task = hub.Hub.CreateTask("osbuildImage", ["Fedora-Cloud", "42", "fedora-42", "qcow2", "f42-candidate", new object?[] { "x86_64" }, new XmlRpcStruct()], "releng");
        var drop = true;
        hub.Hub.DropReplyAfterRunning = method => method == "CGInitBuild" && drop && !(drop = false);

        var error = await Assert.ThrowsAsync<KojiProtocolException>(() => cg.CGInitBuildAsync("osbuild", "Fedora-Cloud", "42", "1", task.Id));

        Assert.EndsWith($"the reservation of Fedora-Cloud-42-1 for task {task.Id} may have been made but its reply (and token) was lost; it cannot be released without cancelling the task", error.Message);
        Assert.Empty(hub.Hub.CallsTo("cancelBuild"));
        lock (hub.Hub.State.Sync)
        {
            Assert.NotEqual(KojiComposer.HubSimulator.State.TaskState.Canceled, hub.Hub.State.Tasks[task.Id].State);
        }
    }

    [Fact]
    public async Task LostReservationReply_IsReleasedAndMadeAgain_WithANewToken()
    {
        await using var hub = await SimulatedHub.StartAsync();
        await using var cg = await hub.LoginAsync(SimulatedHub.ContentGeneratorIdentity);
        var drop = true;
        hub.Hub.DropReplyAfterRunning = method => method == "CGInitBuild" && drop && !(drop = false);

        var reservation = await cg.CGInitBuildAsync("osbuild", "Fedora-Cloud", "42", "7");

        Assert.Equal(["CGInitBuild", "CGInitBuild", "getBuild", "getLoggedInUser", "cancelBuild", "CGInitBuild"],
            hub.Hub.Calls.Where(c => c.Method is not "sslLogin").Select(c => c.Method));
        var build = await cg.GetBuildAsync(reservation.BuildId);
        Assert.Equal(Calls.KojiBuildState.Building, build!.State);
    }

    [Fact]
    public async Task UpdateHost_SendsOnlyTheDataItWasGiven()
    {
        await using var hub = await SimulatedHub.StartAsync();
        await using var host = await hub.LoginAsync(SimulatedHub.HostIdentity, exclusive: true);

        await host.UpdateHostAsync(0.5, true, ["osbuildImage", "tagBuild"]);

        var keywords = Assert.IsType<XmlRpcStruct>(hub.Hub.CallsTo("host.updateHost")[0].Params[^1]);
        var data = Assert.IsType<XmlRpcStruct>(keywords["data"]);
        Assert.Equal(["methods"], data.Keys);
    }

    [Fact]
    public async Task Upload_CancelledByTheCaller_IsACancellationNotAFailure()
    {
        await using var hub = await SimulatedHub.StartAsync();
        var options = hub.ClientOptions() with { UploadChunkBytes = 64 * 1024 };
        await using var session = await hub.LoginAsync(SimulatedHub.ContentGeneratorIdentity, options: options);
        using var cancel = new CancellationTokenSource();
        hub.Hub.BreakUpload = request =>
        {
            if (request.Offset > 0)
            {
                cancel.Cancel();
            }

            return null;
        };
        var content = new MemoryStream(new byte[10 * 64 * 1024]);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => session.UploadAsync(content, "osbuild-cg/cancelled", "image.raw", cancellationToken: cancel.Token));
    }
}
