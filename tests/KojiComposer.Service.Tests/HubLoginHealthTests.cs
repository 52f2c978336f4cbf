using KojiComposer.HubBridge.Transport;
using KojiComposer.Scheduler.Web.Health;
using KojiComposer.Service.Health;
using KojiComposer.Testing.Hub;

namespace KojiComposer.Service.Tests;

public sealed class HubLoginHealthTests
{
    [Fact]
    public async Task Hub_IsOk_WhenTheContentGeneratorUserCanLogIn_AndNamesWhoItIs()
    {
        await using var hub = await SimulatedHub.StartAsync();
        using var health = new HubLoginHealth(hub.ClientOptions(), SimulatedHub.ContentGeneratorIdentity, TimeProvider.System);

        var result = await health.CheckAsync(CancellationToken.None);

        Assert.Equal(HealthStatus.Ok, result.Status);
        Assert.Equal($"logged in to {hub.Url} as {hub.ContentGenerator.Name} ({SimulatedHub.ContentGeneratorIdentity.Principal})", result.Details);
    }

    [Fact]
    public async Task Hub_IsFailing_WithTheCause_WhenTheHubCannotBeReached()
    {
        Uri url;
        await using (var gone = await SimulatedHub.StartAsync())
        {
            url = gone.Url;
        }

        var options = new KojiHubOptions { Url = url, Retry = new KojiRetryOptions { Attempts = 1 } };
        using var health = new HubLoginHealth(options, SimulatedHub.ContentGeneratorIdentity, TimeProvider.System);

        var result = await health.CheckAsync(CancellationToken.None);

        Assert.Equal(HealthStatus.Failing, result.Status);
        Assert.StartsWith($"cannot log in to {url} as {SimulatedHub.ContentGeneratorIdentity.Principal}: ", result.Details, StringComparison.Ordinal);
    }
}
