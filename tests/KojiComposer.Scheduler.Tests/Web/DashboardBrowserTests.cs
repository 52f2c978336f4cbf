using KojiComposer.Contracts.Images;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KojiComposer.Scheduler.Tests.Web;

/// <summary>
/// The dashboard and the compose pages in Debian's Chromium (installed by tools/test-stack.sh), as an operator on
/// the service host sees them: a running compose with its live progress, a failed one with its error. Screenshots
/// go to <c>artifacts/screenshots/</c>.
/// </summary>
public sealed class DashboardBrowserTests : IAsyncLifetime
{
    private WebApp _web = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _web = await WebApp.StartAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _web.DisposeAsync();
    }

    private async Task<IPage> NewPageAsync()
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = _web.Address.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        page.SetDefaultTimeout(30_000);
        return page;
    }

    [Fact]
    public async Task HangfireDashboard_Loads_WithTheComposesMenuEntry()
    {
        var page = await NewPageAsync();

        var response = await page.GotoAsync("hangfire");

        Assert.Equal(200, response!.Status);
        await Expect(page.Locator("a", new PageLocatorOptions { HasText = "Composes" }).First).ToHaveAttributeAsync("href", "/hangfire/composes");
        await Expect(page.Locator("body")).ToContainTextAsync("KojiComposer");
    }

    [Fact]
    public async Task ComposesList_ShowsTheRunningAndTheFailedCompose_WithTheErrorVisible()
    {
        var running = await _web.Composes.RunningAsync(StoredComposes.New("Fedora-Cloud-Running", 1));
        var failed = await _web.Composes.FailedAsync(StoredComposes.New("Fedora-Cloud-Failed", 777));
        var page = await NewPageAsync();

        await page.GotoAsync("hangfire/composes");

        var rows = page.Locator("tr.kc-compose");
        await Expect(rows).ToHaveCountAsync(2);
        var runningRow = rows.Filter(new LocatorFilterOptions { HasText = running.Nvr });
        await Expect(runningRow.Locator(".kc-state")).ToHaveTextAsync("running");
        await Expect(runningRow.Locator(".kc-images")).ToHaveTextAsync("0/2");
        var failedRow = rows.Filter(new LocatorFilterOptions { HasText = failed.Nvr });
        await Expect(failedRow.Locator(".kc-state")).ToHaveTextAsync("failure");
        await Expect(failedRow.Locator(".kc-images")).ToContainTextAsync("2/2 (1 failed)");
        await Expect(failedRow.Locator(".kc-task-link")).ToHaveAttributeAsync("href", "https://koji.example.test/koji/taskinfo?taskID=777");
        await Expect(page.Locator(".kc-error-code").First).ToHaveTextAsync("error 10");
        await Expect(page.Locator(".kc-error-reason").First).ToHaveTextAsync("osbuild build failed");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshots.PathFor("composes-list.png"), FullPage = true });

        await page.GotoAsync("hangfire/composes?state=failure");
        await Expect(page.Locator("tr.kc-compose")).ToHaveCountAsync(1);
        await Expect(page.Locator("tr.kc-compose .kc-nvr")).ToHaveTextAsync(failed.Nvr);
    }

    [Fact]
    public async Task DetailPage_OfARunningCompose_ShowsProgress_AndFollowsItLive()
    {
        var compose = await _web.Composes.RunningAsync();
        var page = await NewPageAsync();

        await page.GotoAsync($"hangfire/composes/{compose.Id}");

        await Expect(page.Locator("h1 .kc-nvr")).ToHaveTextAsync("Fedora-Cloud-42-20261126.0");
        await Expect(page.Locator("#kc-image-0 .kc-state")).ToHaveTextAsync("building");
        await Expect(page.Locator("#kc-image-1 .kc-state")).ToHaveTextAsync("pending");
        await Expect(page.Locator("#kc-image-1 .kc-arch")).ToHaveTextAsync("aarch64");
        await Expect(page.Locator("#kc-progress-bar-0")).ToHaveTextAsync("42%");
        await Expect(page.Locator("#kc-progress-text-0")).ToHaveTextAsync("3/7 org.osbuild.rpm (12/40)");
        await Expect(page.Locator("#kc-image-0")).ToContainTextAsync("builder1:4242:ab12");
        await Expect(page.Locator(".kc-build-link")).ToHaveAttributeAsync("href", "https://koji.example.test/koji/buildinfo?buildID=42");
        await Expect(page.Locator(".kc-task-link")).ToHaveAttributeAsync("href", "https://koji.example.test/koji/taskinfo?taskID=123456");
        await Expect(page.Locator("#kc-cancel")).ToBeVisibleAsync();
        Assert.DoesNotContain(SampleComposes.Token, await page.ContentAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshots.PathFor("compose-running.png"), FullPage = true });

        // The worker reports more progress: the page follows without a reload.
        await _web.Composes.ProgressAsync(compose.Id, new ImageProgress(5, 7, "org.osbuild.selinux", 2, 3));

        await Expect(page.Locator("#kc-progress-bar-0")).ToHaveTextAsync("71%");
        await Expect(page.Locator("#kc-progress-text-0")).ToHaveTextAsync("5/7 org.osbuild.selinux (2/3)");
    }

    [Fact]
    public async Task DetailPage_OfAFailedCompose_ShowsEachErrorWithCodeReasonAndDetails_AndOffersRetry()
    {
        var compose = await _web.Composes.FailedAsync();
        var page = await NewPageAsync();

        await page.GotoAsync($"hangfire/composes/{compose.Id}");

        await Expect(page.Locator("h1 .kc-state")).ToHaveTextAsync("failure");
        await Expect(page.Locator("#kc-image-1 .kc-state")).ToHaveTextAsync("failure");
        var imageError = page.Locator("#kc-images .kc-error");
        await Expect(imageError.Locator(".kc-error-code")).ToHaveTextAsync("error 10");
        await Expect(imageError.Locator(".kc-error-reason")).ToHaveTextAsync("osbuild build failed");
        await Expect(imageError.Locator(".kc-error-details")).ToContainTextAsync("stage org.osbuild.rpm failed: exit 1");
        await Expect(page.Locator("#kc-summary .kc-error-code")).ToHaveTextAsync("error 13");
        await Expect(page.Locator("#kc-image-1")).ToContainTextAsync("2 (1 lost worker)");
        await Expect(page.Locator(".kc-upload")).ToContainTextAsync("uploaded koji");
        await Expect(page.Locator("#kc-cancel")).ToHaveCountAsync(0);
        await Expect(page.Locator("#kc-retry-failed")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshots.PathFor("compose-failed.png"), FullPage = true });
    }

    [Fact]
    public async Task DetailPage_ShowsEachImagesCloudTarget_WithItsResult_ButNeverTheUrlsSignature()
    {
        var compose = await _web.Composes.CloudAsync();
        var page = await NewPageAsync();

        await page.GotoAsync($"hangfire/composes/{compose.Id}");

        var done = page.Locator(".kc-target").First;
        await Expect(done).ToContainTextAsync("uploaded aws.s3");
        await Expect(done).ToContainTextAsync("https://images.s3.eu-west-1.amazonaws.com/composer-api-1-disk.qcow2?<redacted>");
        await Expect(page.Locator(".kc-target").Nth(1)).ToContainTextAsync("running aws.s3");
        Assert.DoesNotContain("5ec7e7516a7a7e", await page.ContentAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshots.PathFor("compose-cloud-targets.png"), FullPage = true });

        // The API is where the URL is meant to be taken from, whole.
        var (_, body) = await _web.Client.GetJsonAsync("/api/image-builder-composer/v2/composes/" + compose.Id);
        Assert.Equal(StoredComposes.SignedUrl, (string?)body["image_statuses"]![0]!["upload_status"]!["options"]!["url"]);
    }

    [Fact]
    public async Task CancelButton_AsksFirst_ThenCancelsTheCompose()
    {
        var compose = await _web.Composes.RunningAsync();
        var page = await NewPageAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GotoAsync($"hangfire/composes/{compose.Id}");

        await page.Locator("#kc-cancel").ClickAsync();

        await Expect(page.Locator(".kc-notice")).ToContainTextAsync("Cancel requested");
        Assert.Equal([compose.Id], _web.Operations.Canceled);
    }
}
