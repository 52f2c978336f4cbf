using System.Net;
using System.Net.Http.Headers;
using System.Text;
using KojiComposer.Scheduler.Hosting;
using KojiComposer.Scheduler.Web.Access;
using Microsoft.Extensions.DependencyInjection;
using static KojiComposer.Scheduler.Tests.Web.ApiResponses;

namespace KojiComposer.Scheduler.Tests.Web;

/// <summary>
/// Basic logins and roles end to end. The test client is on loopback, so local access is switched off
/// (<see cref="WebSettings.LocalRole"/> null) to make it log in like a remote user.
/// </summary>
public sealed class RemoteAccessTests : IAsyncLifetime
{
    private WebApp _web = null!;

    public async Task InitializeAsync() => _web = await WebApp.StartAsync(new WebSettings
    {
        AllowRemote = true,
        LocalRole = null,
        KojiWebUrl = WebApp.KojiWeb,
        Users =
        [
            new WebUser("alice", WebPasswordHash.Create("alice-pw", 1000), WebRole.Operator),
            new WebUser("victor", WebPasswordHash.Create("victor-pw", 1000), WebRole.ReadOnly),
        ],
    });

    public async Task DisposeAsync() => await _web.DisposeAsync();

    private HttpRequestMessage Request(HttpMethod method, string path, string? user = null, string? password = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (user is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }

        return request;
    }

    [Theory]
    [InlineData("api/image-builder-composer/v2/composes/")]
    [InlineData("hangfire")]
    [InlineData("hangfire/composes")]
    [InlineData("metrics")]
    public async Task EveryPath_Answers401WithABasicChallenge_WithoutCredentials(string path)
    {
        using var response = await _web.Client.SendAsync(Request(HttpMethod.Get, path));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Basic" && h.Parameter!.Contains("realm=\"KojiComposer\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Api_Answers401Error401_ForAWrongPassword_And200ForTheRightOne()
    {
        using var wrong = await _web.Client.SendAsync(Request(HttpMethod.Get, Base + "composes/", "alice", "nope"));
        using var right = await _web.Client.SendAsync(Request(HttpMethod.Get, Base + "composes/", "alice", "alice-pw"));

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("IMAGE-BUILDER-COMPOSER-401", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task ReadOnlyUser_SeesTheCompose_ButGets403Error2_OnCancelAndRetry()
    {
        var compose = await _web.Composes.RunningAsync();

        using var view = await _web.Client.SendAsync(Request(HttpMethod.Get, Base + $"composes/{compose.Id}", "victor", "victor-pw"));
        using var cancel = await _web.Client.SendAsync(Request(HttpMethod.Post, Base + $"composes/{compose.Id}/cancel", "victor", "victor-pw"));
        using var retry = await _web.Client.SendAsync(Request(HttpMethod.Post, Base + $"composes/{compose.Id}/retry-failed", "victor", "victor-pw"));

        Assert.Equal(HttpStatusCode.OK, view.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, cancel.StatusCode);
        Assert.Contains("IMAGE-BUILDER-COMPOSER-2\"", await cancel.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, retry.StatusCode);
        Assert.Empty(_web.Operations.Canceled);
        Assert.Empty(_web.Operations.Retried);
    }

    [Fact]
    public async Task Operator_CanCancel()
    {
        var compose = await _web.Composes.RunningAsync();

        using var cancel = await _web.Client.SendAsync(Request(HttpMethod.Post, Base + $"composes/{compose.Id}/cancel", "alice", "alice-pw"));

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Equal([compose.Id], _web.Operations.Canceled);
    }

    [Fact]
    public async Task DetailPage_ShowsCancelToOperators_AndHidesItFromReadOnlyUsers()
    {
        var compose = await _web.Composes.RunningAsync();

        using var asOperator = await _web.Client.SendAsync(Request(HttpMethod.Get, $"hangfire/composes/{compose.Id}", "alice", "alice-pw"));
        using var asViewer = await _web.Client.SendAsync(Request(HttpMethod.Get, $"hangfire/composes/{compose.Id}", "victor", "victor-pw"));

        Assert.Equal(HttpStatusCode.OK, asOperator.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asViewer.StatusCode);
        Assert.Contains("id=\"kc-cancel\"", await asOperator.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var viewerPage = await asViewer.Content.ReadAsStringAsync();
        Assert.DoesNotContain("id=\"kc-cancel\"", viewerPage, StringComparison.Ordinal);
        Assert.Contains(compose.Nvr, viewerPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DashboardCancelAction_Answers403_ForReadOnlyUsers()
    {
        var compose = await _web.Composes.RunningAsync();

        using var response = await _web.Client.SendAsync(Request(HttpMethod.Post, $"hangfire/composes/{compose.Id}/cancel", "victor", "victor-pw"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_web.Operations.Canceled);
    }

    [Fact]
    public async Task HangfireDashboard_OpensForReadOnlyUsers_InReadOnlyMode()
    {
        using var response = await _web.Client.SendAsync(Request(HttpMethod.Get, "hangfire", "victor", "victor-pw"));
        var viewer = DashboardContextOf(new WebIdentity("victor", WebRole.ReadOnly, "basic"));
        var asOperator = DashboardContextOf(new WebIdentity("alice", WebRole.Operator, "basic"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Composes", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(Scheduler.Web.Dashboard.DashboardAccess.IsReadOnly(viewer));
        Assert.False(Scheduler.Web.Dashboard.DashboardAccess.IsReadOnly(asOperator));
    }

    private Hangfire.Dashboard.DashboardContext DashboardContextOf(WebIdentity identity)
    {
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = _web.Services };
        http.Features.Set(identity);
        return new Hangfire.Dashboard.AspNetCoreDashboardContext(_web.Services.GetRequiredService<Hangfire.JobStorage>(), new Hangfire.DashboardOptions(), http);
    }
}
