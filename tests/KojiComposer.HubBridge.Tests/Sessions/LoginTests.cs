using KojiComposer.HubBridge.Authentication;
using KojiComposer.HubSimulator;
using KojiComposer.Testing.Hub;

namespace KojiComposer.HubBridge.Tests.Sessions;

public sealed class LoginTests
{
    [Fact]
    public async Task Login_GivesHeaderSession_WhenHubVerifiesMutually()
    {
        await using var hub = await SimulatedHub.StartAsync();
        await using var session = await hub.LoginAsync(SimulatedHub.UserIdentity);

        var user = await session.GetLoggedInUserAsync();

        Assert.Equal("releng", user!.Name);
        Assert.True(session.UsesHeaders);
        var login = Assert.Single(hub.Hub.CallsTo("sslLogin"));
        Assert.Null(login.SessionId);
    }
}
