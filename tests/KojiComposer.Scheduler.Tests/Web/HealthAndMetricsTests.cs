using System.Net;
using KojiComposer.Scheduler.Store;
using KojiComposer.Scheduler.Web.Health;
using KojiComposer.Scheduler.Web.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace KojiComposer.Scheduler.Tests.Web;

/// <summary><c>/health</c> for load balancers and <c>/metrics</c> for Prometheus.</summary>
public sealed class HealthAndMetricsTests
{
    private sealed class FixedCheck(string check, HealthStatus status, string details) : IHealthContributor
    {
        public string Check => check;

        public Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken) => Task.FromResult(new HealthCheckResult(status, details));
    }

    [Fact]
    public async Task Health_IsOk_WithTheStoreReadable_AndUncheckedPartsSaySo()
    {
        await using var web = await WebApp.StartAsync();

        var (status, body) = await web.Client.GetJsonAsync("health");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ok", body["status"]!.GetValue<string>());
        Assert.Equal("ok", body["checks"]!["store"]!["status"]!.GetValue<string>());
        Assert.Equal("unchecked", body["checks"]!["hub"]!["status"]!.GetValue<string>());
        // The builders check is the scheduler's own: no builder runs here, and no image waits for one.
        Assert.Equal("ok", body["checks"]!["builders"]!["status"]!.GetValue<string>());
        Assert.Equal("no builder is running", body["checks"]!["builders"]!["details"]!.GetValue<string>());
    }

    [Fact]
    public async Task Health_Answers503Failing_WhenTheStoreCannotBeRead()
    {
        await using var web = await WebApp.StartAsync(unreadableStore: true);

        var (status, body) = await web.Client.GetJsonAsync("health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("failing", body["status"]!.GetValue<string>());
        Assert.Contains("cannot open the compose store", body["checks"]!["store"]!["details"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_IsDegraded_WhenAContributorSaysSo_AndShowsItsDetails()
    {
        await using var web = await WebApp.StartAsync(configure: s =>
        {
            s.AddSingleton<IHealthContributor>(new FixedCheck("hub", HealthStatus.Ok, "logged in as osbuild-cg"));
            s.AddSingleton<IHealthContributor>(new FixedCheck("builders", HealthStatus.Degraded, "aarch64: no builder"));
        });

        var (status, body) = await web.Client.GetJsonAsync("health");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("degraded", body["status"]!.GetValue<string>());
        Assert.Equal("logged in as osbuild-cg", body["checks"]!["hub"]!["details"]!.GetValue<string>());
        Assert.Equal("no builder is running; aarch64: no builder", body["checks"]!["builders"]!["details"]!.GetValue<string>());
    }

    [Fact]
    public async Task Metrics_ExposeComposersJobMetricNames_WithTheStoresCountsAndTheEnginesSteps()
    {
        await using var web = await WebApp.StartAsync();
        await web.Composes.RunningAsync();
        var metrics = web.Services.GetRequiredService<ComposeMetrics>();
        metrics.StepStarted(StepKind.Image, "x86_64", TimeSpan.FromSeconds(4));
        metrics.StepFinished(StepKind.Image, "x86_64", TimeSpan.FromMinutes(12), "success");
        metrics.StepFinished(StepKind.Image, "aarch64", TimeSpan.FromMinutes(1), "canceled");
        metrics.StepFailed(StepKind.Init, null, TimeSpan.FromSeconds(2), SampleComposes.BuildError);
        metrics.StepFailed(StepKind.Image, "x86_64", TimeSpan.FromSeconds(9), new Contracts.Errors.JobError(Contracts.Errors.JobErrorCodes.InvalidTargetConfig, "no bucket"));
        metrics.ComposeFinished(Model.ComposeState.Failure);

        var text = await web.Client.GetStringAsync("metrics");

        Assert.Contains("image_builder_worker_pending_jobs{type=\"osbuild\",arch=\"aarch64\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("image_builder_worker_running_jobs{type=\"osbuild\",arch=\"x86_64\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("image_builder_worker_total_jobs{type=\"osbuild\",status=\"2xx\",arch=\"x86_64\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("image_builder_worker_total_jobs{type=\"koji-init\",status=\"5xx\",arch=\"\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("image_builder_worker_total_jobs{type=\"osbuild\",status=\"4xx\",arch=\"x86_64\"} 1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("image_builder_worker_job_duration_seconds_count{type=\"osbuild\",status=\"2xx\",arch=\"aarch64\"}", text, StringComparison.Ordinal);
        Assert.Contains("image_builder_worker_job_duration_seconds_count{type=\"osbuild\",status=\"2xx\",arch=\"x86_64\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("image_builder_worker_job_wait_duration_seconds_count{type=\"osbuild\",arch=\"x86_64\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("kojicomposer_composes{state=\"running\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("kojicomposer_finished_composes_total{state=\"failure\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("image_builder_composer_total_compose_requests 0", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_AreTheEnginesObserver()
    {
        await using var web = await WebApp.StartAsync();

        Assert.Same(web.Services.GetRequiredService<ComposeMetrics>(), web.Services.GetRequiredService<Scheduler.Engine.IComposeObserver>());
    }

    [Fact]
    public async Task Metrics_OfTwoApps_AreSeparate()
    {
        await using var first = await WebApp.StartAsync();
        await using var second = await WebApp.StartAsync();
        first.Services.GetRequiredService<ComposeMetrics>().ComposeFinished(Model.ComposeState.Success);

        var text = await second.Client.GetStringAsync("metrics");

        Assert.DoesNotContain("kojicomposer_finished_composes_total{state=\"success\"} 1", text, StringComparison.Ordinal);
    }
}
