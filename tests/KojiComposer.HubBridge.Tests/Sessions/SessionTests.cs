using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator;
using KojiComposer.Testing.Hub;

namespace KojiComposer.HubBridge.Tests.Sessions;

public sealed class SessionTests
{
    [Fact]
    public async Task Calls_CarryStrictlyIncreasingCallNumbers_InKojiSessionHeaders()
    {
        await using var hub = await SimulatedHub.StartAsync();
        await using var session = await hub.LoginAsync(SimulatedHub.HostIdentity, exclusive: true);

        await session.GetHostIdAsync();
        await session.EchoAsync(default, "a");
        await session.GetLoggedInUserAsync();

        var calls = hub.Hub.Calls.Where(c => c.Method != "sslLogin").ToArray();
        Assert.Equal(["exclusiveSession", "host.getID", "echo", "getLoggedInUser"], calls.Select(c => c.Method));
        Assert.Equal([0L, 1L, 2L, 3L], calls.Select(c => c.CallNumber!.Value));
        Assert.All(calls, c => Assert.Equal("header", c.SessionVia));
        Assert.All(calls, c => Assert.Equal(session.SessionId, c.SessionId));
    }

    [Fact]
    public async Task Subsession_InheritsExclusivity_CountsItsOwnCalls_AndEndsWithItsMaster()
    {
        await using var hub = await SimulatedHub.StartAsync();
        var master = await hub.LoginAsync(SimulatedHub.HostIdentity, exclusive: true);
        var child = await master.OpenSubsessionAsync();

        Assert.Equal(hub.Builder1.Id, await child.GetHostIdAsync());
        Assert.Equal(hub.Builder1.Id, await master.GetHostIdAsync());
        Assert.True(child.IsSubsession);
        Assert.True(child.IsExclusive);
        var childCalls = hub.Hub.CallsTo("host.getID").Where(c => c.SessionId == child.SessionId).ToArray();
        Assert.Equal(0, Assert.Single(childCalls).CallNumber);

        await master.DisposeAsync();
        var error = await Assert.ThrowsAsync<KojiAuthErrorFault>(() => child.EchoAsync(default, "still there?"));

        Assert.EndsWith("AuthError (fault 1002): Invalid session or bad credentials", error.Message);
        Assert.Single(hub.Hub.CallsTo("sslLogin"));
        await child.DisposeAsync();
    }

    [Fact]
    public async Task HostCalls_AreRefused_WithoutAnExclusiveSession()
    {
        await using var hub = await SimulatedHub.StartAsync();
        await using var session = await hub.LoginAsync(SimulatedHub.HostIdentity);

        var error = await Assert.ThrowsAsync<KojiAuthErrorFault>(() => session.GetHostIdAsync());

        Assert.Equal($"koji hub {hub.Url}: host.getID: AuthError (fault 1002): This method requires an exclusive session", error.Message);
    }

    [Fact]
    public async Task ExclusiveSession_LocksOutEveryOtherSessionOfTheHostUser()
    {
        await using var hub = await SimulatedHub.StartAsync();
        await using var first = await hub.LoginAsync(SimulatedHub.HostIdentity, exclusive: true);
        await using var second = await hub.LoginAsync(SimulatedHub.HostIdentity);

        var locked = await Assert.ThrowsAsync<KojiAuthLockErrorFault>(() => second.GetLoggedInUserAsync());
        var refused = await Assert.ThrowsAsync<KojiAuthLockErrorFault>(() => hub.LoginAsync(SimulatedHub.HostIdentity, exclusive: true));

        Assert.EndsWith("getLoggedInUser: AuthLockError (fault 1006): User locked by another session", locked.Message);
        Assert.EndsWith("exclusiveSession: AuthLockError (fault 1006): Cannot get exclusive session", refused.Message);
        Assert.Equal(hub.Builder1.Id, await first.GetHostIdAsync());
    }

    [Fact]
    public async Task ForcedExclusiveSession_TakesOver_AndTheOldOneCannotTakeItBack()
    {
        await using var hub = await SimulatedHub.StartAsync();
        await using var old = await hub.LoginAsync(SimulatedHub.HostIdentity, exclusive: true);
        await using var forced = await hub.LoginAsync(SimulatedHub.HostIdentity, exclusive: true, force: true);

        // The old session was closed by the hub; it logs in again by itself, but exclusivity is held by the new one.
        var error = await Assert.ThrowsAsync<KojiAuthLockErrorFault>(() => old.EchoAsync(default, "still there?"));

        Assert.EndsWith("exclusiveSession: AuthLockError (fault 1006): Cannot get exclusive session", error.Message);
        Assert.True(await forced.GetHostIdAsync() > 0);
    }

    [Fact]
    public async Task ExpiredSession_IsRenewedTransparently_KeepingItsId()
    {
        await using var hub = await SimulatedHub.StartAsync();
        await using var session = await hub.LoginAsync(SimulatedHub.HostIdentity, exclusive: true);
        var id = session.SessionId;
        lock (hub.Hub.State.Sync)
        {
            hub.Hub.State.Sessions[id].Expired = true;
        }

        var hostId = await session.GetHostIdAsync();

        Assert.Equal(hub.Builder1.Id, hostId);
        Assert.Equal(id, session.SessionId);
        var renew = hub.Hub.CallsTo("sslLogin")[^1];
        var keywords = Assert.IsType<XmlRpcStruct>(renew.Params[^1]);
        Assert.Equal(true, keywords["renew"]);
        Assert.Equal(true, keywords["exclusive"]);
        Assert.Equal(id, renew.SessionId);
        Assert.Equal(1007, hub.Hub.CallsTo("host.getID")[0].FaultCode);
    }

    [Fact]
    public async Task LostSession_IsReplacedByANewLogin_WithExclusivity()
    {
        await using var hub = await SimulatedHub.StartAsync();
        await using var session = await hub.LoginAsync(SimulatedHub.HostIdentity, exclusive: true);
        var oldId = session.SessionId;
        lock (hub.Hub.State.Sync)
        {
            hub.Hub.State.Sessions[oldId].Closed = true;
        }

        Assert.Equal(hub.Builder1.Id, await session.GetHostIdAsync());

        Assert.NotEqual(oldId, session.SessionId);
        Assert.True(session.IsExclusive);
        var after = hub.Hub.Calls.SkipWhile(c => c.FaultCode != 1002).Select(c => c.Method).ToArray();
        Assert.Equal(["host.getID", "sslLogin", "exclusiveSession", "host.getID"], after);
        Assert.Equal(0, hub.Hub.CallsTo("exclusiveSession")[^1].CallNumber);
    }

    [Fact]
    public async Task CommittedWriteWhoseReplyWasLost_IsNotRunTwice_AndItsCheckDecides()
    {
        await using var hub = await SimulatedHub.StartAsync();
        var runs = 0;
        hub.Hub.Dispatcher.Register("test.write", call =>
        {
            runs++;
            call.Commit();
            return "first reply";
        });
        var drop = true;
        hub.Hub.DropReplyAfterRunning = method => method == "test.write" && drop && !(drop = false);
        await using var session = await hub.LoginAsync(SimulatedHub.UserIdentity);

        var result = await session.CallAsync(KojiCall.Write("test.write") with { IfAlreadyCommitted = _ => Task.FromResult<object?>("checked") });

        Assert.Equal("checked", result);
        Assert.Equal(1, runs);
        var attempts = hub.Hub.CallsTo("test.write");
        Assert.Equal(2, attempts.Count);
        Assert.Equal(attempts[0].CallNumber, attempts[1].CallNumber);
        Assert.Equal(1009, attempts[1].FaultCode);
    }

    [Fact]
    public async Task CommittedWriteWithoutACheck_ReportsRetryError_InsteadOfRunningAgain()
    {
        await using var hub = await SimulatedHub.StartAsync();
        hub.Hub.Dispatcher.Register("test.write", call =>
        {
            call.Commit();
            return null;
        });
        var drop = true;
        hub.Hub.DropReplyAfterRunning = method => method == "test.write" && drop && !(drop = false);
        await using var session = await hub.LoginAsync(SimulatedHub.UserIdentity);

        var error = await Assert.ThrowsAsync<KojiRetryErrorFault>(() => session.CallAsync(KojiCall.Write("test.write")));

        Assert.EndsWith($"test.write: RetryError (fault 1009): unable to retry call 0 (method test.write) for session {session.SessionId}", error.Message);
    }

    [Fact]
    public async Task RepeatableWrite_IsSentAgainWithTheSameCallNumber_AndRunsAgain()
    {
        await using var hub = await SimulatedHub.StartAsync();
        var runs = 0;
        hub.Hub.Dispatcher.Register("host.updateHost", call =>
        {
            runs++;
            call.Commit();
            return null;
        });
        var drop = true;
        hub.Hub.DropReplyAfterRunning = method => method == "host.updateHost" && drop && !(drop = false);
        await using var session = await hub.LoginAsync(SimulatedHub.HostIdentity, exclusive: true);

        await session.UpdateHostAsync(0.0, true, ["osbuildImage", "tagBuild"], 2);

        Assert.Equal(2, runs);
        var attempts = hub.Hub.CallsTo("host.updateHost");
        Assert.Equal(attempts[0].CallNumber, attempts[1].CallNumber);
        Assert.Null(attempts[1].FaultCode);
    }

    [Fact]
    public async Task SequenceError_SkipsPastTheHubsCallNumber_AndTheCallRuns()
    {
        await using var hub = await SimulatedHub.StartAsync();
        await using var session = await hub.LoginAsync(SimulatedHub.UserIdentity);
        lock (hub.Hub.State.Sync)
        {
            hub.Hub.State.Sessions[session.SessionId].StoredCallNumber = 40;
        }

        var echoed = await session.EchoAsync(default, "after");

        Assert.Equal(["after"], echoed);
        var attempts = hub.Hub.CallsTo("echo");
        Assert.Equal($"40 > 0 (session {session.SessionId})", attempts[0].FaultString);
        Assert.Equal(41, attempts[1].CallNumber);
    }

    [Fact]
    public async Task ServerOffline_IsWaitedOut_ThenTheCallRuns()
    {
        await using var hub = await SimulatedHub.StartAsync();
        var offline = 2;
        hub.Hub.Dispatcher.Register("test.read", _ => offline-- > 0 ? throw new HubFault(1014, "server is offline") : "online");
        await using var session = await hub.LoginAsync(SimulatedHub.UserIdentity);

        var result = await session.CallAsync(KojiCall.Read("test.read"));

        Assert.Equal("online", result);
        Assert.Equal([1014, 1014, null], hub.Hub.CallsTo("test.read").Select(c => c.FaultCode));
    }

    [Theory]
    [InlineData(1, typeof(KojiHubInternalFault), "Fault")]
    [InlineData(1000, typeof(KojiGenericErrorFault), "GenericError")]
    [InlineData(1001, typeof(KojiLockErrorFault), "LockError")]
    [InlineData(1002, typeof(KojiAuthErrorFault), "AuthError")]
    [InlineData(1003, typeof(KojiTagErrorFault), "TagError")]
    [InlineData(1004, typeof(KojiActionNotAllowedFault), "ActionNotAllowed")]
    [InlineData(1005, typeof(KojiBuildErrorFault), "BuildError")]
    [InlineData(1006, typeof(KojiAuthLockErrorFault), "AuthLockError")]
    [InlineData(1010, typeof(KojiPreBuildErrorFault), "PreBuildError")]
    [InlineData(1011, typeof(KojiPostBuildErrorFault), "PostBuildError")]
    [InlineData(1012, typeof(KojiBuildrootErrorFault), "BuildrootError")]
    [InlineData(1013, typeof(KojiFunctionDeprecatedFault), "FunctionDeprecated")]
    [InlineData(1015, typeof(KojiLiveCDErrorFault), "LiveCDError")]
    [InlineData(1016, typeof(KojiPluginErrorFault), "PluginError")]
    [InlineData(1017, typeof(KojiCallbackErrorFault), "CallbackError")]
    [InlineData(1018, typeof(KojiApplianceErrorFault), "ApplianceError")]
    [InlineData(1019, typeof(KojiParameterErrorFault), "ParameterError")]
    [InlineData(1020, typeof(KojiImportErrorFault), "ImportError")]
    [InlineData(1021, typeof(KojiConfigurationErrorFault), "ConfigurationError")]
    [InlineData(1022, typeof(KojiLiveMediaErrorFault), "LiveMediaError")]
    [InlineData(1023, typeof(KojiGSSAPIAuthErrorFault), "GSSAPIAuthError")]
    [InlineData(1024, typeof(KojiNameValidationErrorFault), "NameValidationError")]
    [InlineData(1099, typeof(KojiFaultException), "Fault")]
    public async Task Fault_IsRaisedAsItsClass_OnceAndWithHubAndCallNamed(int code, Type type, string name)
    {
        await using var hub = await SimulatedHub.StartAsync();
        hub.Hub.Dispatcher.Register("test.fail", _ => throw new HubFault(code, "it went wrong"));
        await using var session = await hub.LoginAsync(SimulatedHub.UserIdentity);

        var error = await Assert.ThrowsAnyAsync<KojiFaultException>(() => session.CallAsync(KojiCall.Read("test.fail")));

        Assert.IsType(type, error);
        Assert.Equal(code, error.FaultCode);
        Assert.Equal($"koji hub {hub.Url}: test.fail: {name} (fault {code}): it went wrong", error.Message);
        // Only a held lock may be gone later; a read meeting it is still not re-sent by the session itself.
        Assert.Equal(code == 1001, error.IsTransient);
        Assert.Single(hub.Hub.CallsTo("test.fail"));
    }
}
