using KojiComposer.HubBridge.Authentication;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubSimulator;
using KojiComposer.Testing;
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
        Assert.Equal("header", Assert.Single(hub.Hub.CallsTo("getLoggedInUser")).SessionVia);
    }

    [Fact]
    public async Task Login_HoldsHostAndContentGeneratorIdentitiesInOneProcess()
    {
        await using var hub = await SimulatedHub.StartAsync();
        await using var host = await hub.LoginAsync(SimulatedHub.HostIdentity, exclusive: true);
        await using var cg = await hub.LoginAsync(SimulatedHub.ContentGeneratorIdentity);
        await using var hostAgain = await hub.LoginAsync(SimulatedHub.SecondHostIdentity, exclusive: true);

        Assert.Equal("builder1.koji.test", (await host.GetLoggedInUserAsync())!.Name);
        Assert.Equal("osbuild-cg", (await cg.GetLoggedInUserAsync())!.Name);
        Assert.Equal("builder2.koji.test", (await hostAgain.GetLoggedInUserAsync())!.Name);
    }

    [Fact]
    public async Task Login_Fails_WhenHubSendsNoMutualAuthenticationToken()
    {
        await using var hub = await SimulatedHub.StartAsync(new HubSimulatorOptions { MutualAuth = MutualAuthMode.Omit });

        var error = await Assert.ThrowsAsync<KerberosException>(() => hub.LoginAsync(SimulatedHub.UserIdentity));

        Assert.Equal(
            $"koji hub {hub.Url}: sslLogin: hub did not prove its identity (HTTP/localhost): no 'WWW-Authenticate: Negotiate <token>' on the login reply, so mutual authentication failed",
            error.Message);
    }

    [Fact]
    public async Task Login_Fails_WhenHubMutualAuthenticationTokenDoesNotVerify()
    {
        await using var hub = await SimulatedHub.StartAsync(new HubSimulatorOptions { MutualAuth = MutualAuthMode.Garbage });

        var error = await Assert.ThrowsAsync<KerberosException>(() => hub.LoginAsync(SimulatedHub.UserIdentity));

        Assert.StartsWith($"koji hub {hub.Url}: sslLogin: hub's mutual-authentication token for HTTP/localhost did not verify", error.Message);
    }

    [Fact]
    public async Task SslLogin_IsRefusedWith401_WhenRequestCarriesNoNegotiateToken()
    {
        await using var hub = await SimulatedHub.StartAsync();
        using var http = new HttpClient();
        var body = new StringContent("<?xml version='1.0'?>\n<methodCall>\n<methodName>sslLogin</methodName>\n<params>\n</params>\n</methodCall>\n", System.Text.Encoding.UTF8, "text/xml");

        using var response = await http.PostAsync(new Uri(hub.Url + "/ssllogin"), body);

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal("Negotiate", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task Login_NamesThePrincipal_WhenHubKnowsNoSuchUser()
    {
        await using var hub = await SimulatedHub.StartAsync();

        var error = await Assert.ThrowsAsync<KojiAuthErrorFault>(() => hub.LoginAsync(SimulatedHub.StrangerIdentity));

        Assert.Equal($"koji hub {hub.Url}: sslLogin: AuthError (fault 1002): Unknown user: {TestStack.StrangerPrincipal}", error.Message);
    }

    [Fact]
    public async Task Login_NamesTheKeytab_WhenKeytabIsMissing()
    {
        await using var hub = await SimulatedHub.StartAsync();
        var identity = KerberosIdentity.FromKeytab(TestStack.UserPrincipal, "/nonexistent/releng.keytab");

        var error = await Assert.ThrowsAsync<KerberosException>(() => hub.LoginAsync(identity));

        Assert.Equal($"koji hub {hub.Url}: sslLogin: cannot read keytab /nonexistent/releng.keytab: Could not find a part of the path '/nonexistent/releng.keytab'.", error.Message);
    }

    [Fact]
    public async Task Login_NamesKeytabContents_WhenKeytabHasNoKeyForThePrincipal()
    {
        await using var hub = await SimulatedHub.StartAsync();
        var keytab = TestStack.Keytab("builder1");
        var identity = KerberosIdentity.FromKeytab(TestStack.UserPrincipal, keytab);

        var error = await Assert.ThrowsAsync<KerberosException>(() => hub.LoginAsync(identity));

        Assert.Equal($"koji hub {hub.Url}: sslLogin: keytab {keytab} holds no key for releng@KOJI.TEST (it has: {TestStack.HostPrincipal})", error.Message);
    }

    [Fact]
    public async Task Login_NamesTheServicePrincipal_WhenKdcDoesNotKnowIt()
    {
        await using var hub = await SimulatedHub.StartAsync();
        // 127.0.0.1 asks for HTTP/127.0.0.1, which the realm does not have (the SPN comes from the URL host).
        var options = hub.ClientOptions() with { Url = new Uri($"http://127.0.0.1:{hub.Url.Port}/kojihub") };

        var error = await Assert.ThrowsAsync<KerberosException>(() => hub.LoginAsync(SimulatedHub.UserIdentity, options: options));

        Assert.StartsWith($"koji hub http://127.0.0.1:{hub.Url.Port}/kojihub: sslLogin: cannot get a Kerberos ticket for HTTP/127.0.0.1 as releng@KOJI.TEST", error.Message);
    }

    [Fact]
    public async Task Login_UsesUrlQuerySession_WhenHubDoesNotOfferHeaderAuth()
    {
        await using var hub = await SimulatedHub.StartAsync(new HubSimulatorOptions { HeaderAuth = false });
        await using var session = await hub.LoginAsync(SimulatedHub.UserIdentity);

        await session.GetLoggedInUserAsync();
        await session.EchoAsync(default, "x");

        Assert.False(session.UsesHeaders);
        var calls = hub.Hub.Calls.Where(c => c.Method is "getLoggedInUser" or "echo").ToArray();
        Assert.All(calls, c => Assert.Equal("query", c.SessionVia));
        Assert.Equal([0L, 1L], calls.Select(c => c.CallNumber!.Value));
    }

    [Fact]
    public async Task Login_FromTheAmbientCache_RefusesAnotherPrincipalThanConfigured()
    {
        await using var hub = await SimulatedHub.StartAsync();
        var cache = Path.Combine(Path.GetTempPath(), $"kc-ambient-{Guid.NewGuid():N}");
        Kinit(TestStack.UserPrincipal, TestStack.Keytab("releng"), cache);
        var credentials = KerberosCredentials.ForAmbientCache("FILE:" + cache);
        try
        {
            var wrong = new KerberosIdentity(TestStack.ContentGeneratorPrincipal, null);
            var right = new KerberosIdentity(TestStack.UserPrincipal, null);

            var error = await Assert.ThrowsAsync<KerberosException>(() =>
                KojiSession.LoginAsync(hub.ClientOptions(), wrong, new KojiSessionOptions { Credentials = credentials }));
            await using var session = await KojiSession.LoginAsync(hub.ClientOptions(), right, new KojiSessionOptions { Credentials = credentials });

            Assert.Equal($"koji hub {hub.Url}: sslLogin: the ambient credential cache logged us in as releng@KOJI.TEST, not osbuild-cg@KOJI.TEST (kinit as osbuild-cg@KOJI.TEST, or configure a keytab)", error.Message);
            Assert.Equal("releng", (await session.GetLoggedInUserAsync())!.Name);
        }
        finally
        {
            File.Delete(cache);
        }
    }

    private static void Kinit(string principal, string keytab, string cache)
    {
        var start = new System.Diagnostics.ProcessStartInfo("kinit") { ArgumentList = { "-k", "-t", keytab, "-c", "FILE:" + cache, principal } };
        using var kinit = System.Diagnostics.Process.Start(start)!;
        kinit.WaitForExit();
        Assert.Equal(0, kinit.ExitCode);
    }

    [Fact]
    public async Task Login_ReportsAGarbledReply_WithoutQuotingTheSessionKey()
    {
        await using var hub = await SimulatedHub.StartAsync();
        hub.Hub.TruncateReply = method => method == "sslLogin";

        var error = await Assert.ThrowsAsync<Transport.KojiProtocolException>(() => hub.LoginAsync(SimulatedHub.UserIdentity));

        Assert.StartsWith($"koji hub {hub.Url}: sslLogin: the reply is not valid XML-RPC (at byte ", error.Message);
        Assert.EndsWith("its text is not shown because it may hold a secret)", error.Message);
        Assert.Null(error.InnerException);
        lock (hub.Hub.State.Sync)
        {
            var key = hub.Hub.State.Sessions.Values.Single().Key;
            Assert.DoesNotContain(key[..8], error.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Logout_ClosesTheSessionOnTheHub()
    {
        await using var hub = await SimulatedHub.StartAsync();
        var session = await hub.LoginAsync(SimulatedHub.UserIdentity);
        var id = session.SessionId;

        await session.DisposeAsync();

        lock (hub.Hub.State.Sync)
        {
            Assert.True(hub.Hub.State.Sessions[id].Closed);
        }

        await Assert.ThrowsAsync<ObjectDisposedException>(() => session.GetLoggedInUserAsync());
    }
}
