using KojiComposer.Testing.Site;

namespace KojiComposer.Cli.Tests.Doctor;

/// <summary>
/// One running site (hub simulator + kojicomposerd with all three roles) for the doctor tests that only read it:
/// started once per class, ready when kojicomposerd's hub-bridge holds the host's exclusive session and its
/// builders advertised their osbuild on <c>/health</c>.
/// </summary>
public sealed class RunningSiteFixture : IAsyncLifetime
{
    public IntakeSite Site { get; private set; } = null!;

    /// <summary>The service's config file, as kojicomposerd read it.</summary>
    public string ConfigPath => Path.Combine(Site.Directory, "kojicomposer.toml");

    public async Task InitializeAsync()
    {
        Site = await IntakeSite.StartAsync();
        var host = Site.Simulated.Builder1.UserId;
        await Site.WaitUntilAsync(
            () => Site.Read(s => s.Sessions.Values.Any(x => x.UserId == host && x.Exclusive && !x.Closed)),
            "kojicomposerd holds the host's exclusive session");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await (await Site.Api.GetAsync("/health")).Content.ReadAsStringAsync()).Contains("osbuild 191", StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the builders did not advertise osbuild on /health within 60 s");
            }

            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync() => await Site.DisposeAsync();
}
