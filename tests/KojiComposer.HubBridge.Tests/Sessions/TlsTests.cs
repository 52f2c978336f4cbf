using KojiComposer.HubBridge.Transport;
using KojiComposer.HubSimulator;
using KojiComposer.Testing.Hub;
using KojiComposer.Testing.Tls;

namespace KojiComposer.HubBridge.Tests.Sessions;

public sealed class TlsTests
{
    [Fact]
    public async Task Login_OverHttps_TrustsTheHub_WhenItsCaIsInTheConfiguredBundle()
    {
        using var certificates = TestCertificates.Create();
        await using var hub = await SimulatedHub.StartAsync(new HubSimulatorOptions { Certificate = certificates.Server });
        var options = hub.ClientOptions() with { CaBundle = certificates.CaPemPath };

        await using var session = await hub.LoginAsync(SimulatedHub.UserIdentity, options: options);

        Assert.Equal("https", hub.Url.Scheme);
        Assert.Equal("releng", (await session.GetLoggedInUserAsync())!.Name);
    }

    [Fact]
    public async Task Login_OverHttps_FailsOnceWithAHint_WhenTheSiteCaIsNotTrusted()
    {
        using var certificates = TestCertificates.Create();
        await using var hub = await SimulatedHub.StartAsync(new HubSimulatorOptions { Certificate = certificates.Server });

        var error = await Assert.ThrowsAsync<KojiProtocolException>(() => hub.LoginAsync(SimulatedHub.UserIdentity));

        Assert.StartsWith($"koji hub {hub.Url}: sslLogin: TLS: the hub's certificate was not accepted (", error.Message);
        Assert.EndsWith("if a site CA signs it, set hub.ca_bundle to that CA's PEM file", error.Message);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task Login_OverHttps_RefusesACertificateForAnotherHost_EvenFromTheTrustedCa()
    {
        using var certificates = TestCertificates.Create("koji.example.com");
        await using var hub = await SimulatedHub.StartAsync(new HubSimulatorOptions { Certificate = certificates.Server });
        var options = hub.ClientOptions() with { CaBundle = certificates.CaPemPath };

        var error = await Assert.ThrowsAsync<KojiProtocolException>(() => hub.LoginAsync(SimulatedHub.UserIdentity, options: options));

        Assert.EndsWith($"is it signed by a CA in {certificates.CaPemPath}, and issued for localhost?", error.Message);
    }
}
