using KojiComposer.Contracts.Builders;
using KojiComposer.Scheduler.Hosting;
using KojiComposer.Scheduler.Tests.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KojiComposer.Scheduler.Tests.Web;

/// <summary>
/// The builders page in Debian's Chromium, reached from the dashboard's menu as an operator would: a live builder
/// with its arches, osbuild and generator. Screenshot: <c>artifacts/screenshots/builders.png</c>.
/// </summary>
public sealed class BuildersBrowserTests : IDisposable
{
    private readonly EmbeddedBackend _backend = new();

    public void Dispose() => _backend.Dispose();

    [Fact]
    public async Task BuildersPage_ShowsTheLiveBuildersVersions_ReachedFromTheMenu()
    {
        var store = await _backend.OpenStoreAsync();
        var storage = _backend.OpenJobStorage();
        await using var builder = await TestEngineHost.StartAsync(store, storage, new RoleSettings
        {
            Scheduler = false,
            BuildArches = ["x86_64", "aarch64"],
            BuildWorkers = 2,
            ServerName = "builder1.example.com",
            Advertisement = () => new BuilderAdvertisement(["x86_64", "aarch64"], "191", "/usr/bin/osbuild", "image-builder", "79"),
        });
        await using var web = await WebApp.StartAsync(configure: s => s.AddSingleton(storage));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = web.Address.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 700 } });
        page.SetDefaultTimeout(30_000);

        await page.GotoAsync("hangfire/composes");
        await page.Locator("a", new PageLocatorOptions { HasText = "Builders" }).First.ClickAsync();

        // The builder registers with Hangfire's first heartbeat; reload until it is listed.
        var row = page.Locator("tr", new PageLocatorOptions { HasText = "builder1.example.com" });
        for (var i = 0; i < 100 && await row.CountAsync() == 0; i++)
        {
            await Task.Delay(100);
            await page.ReloadAsync();
        }

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/hangfire/builders$"));
        await Expect(row.Locator("td.kc-builder-arches")).ToHaveTextAsync("x86_64, aarch64");
        await Expect(row.Locator("td.kc-builder-osbuild")).ToHaveTextAsync("191");
        await Expect(row.Locator("td.kc-builder-generator")).ToHaveTextAsync("image-builder 79");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshots.PathFor("builders.png"), FullPage = true });
    }
}
