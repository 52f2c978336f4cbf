using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using KojiComposer.Scheduler.Web.Access;
using KojiComposer.Testing;
using KojiComposer.Testing.Site;

namespace KojiComposer.Cli.Tests.Service;

/// <summary>
/// kojicomposerd with logins required (<c>allow_remote</c>, <c>local_role = "none"</c>, so loopback requests log
/// in like remote ones): Basic users <c>ops</c> (operator) and <c>viewer</c> (read-only), Kerberos principal releng
/// (operator) accepted with the stack's <c>HTTP/localhost</c> keys. One API compose exists to act on.
/// </summary>
public sealed class AuthSite : IAsyncLifetime
{
    public const string OpsPassword = "ops-Secret-7Qx";
    public const string ViewerPassword = "viewer-Secret-3Zk";

    public IntakeSite Site { get; private set; } = null!;

    /// <summary><c>http://localhost:PORT</c>: Negotiate asks for <c>HTTP/localhost</c>, the stack's service principal.</summary>
    public Uri Service { get; private set; } = null!;

    public string ComposeId { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Few PBKDF2 iterations: the hashes are for this test only, and the service checks each login once.
        Site = await IntakeSite.StartAsync(
            webToml: "allow_remote = true\nlocal_role = \"none\"",
            extraToml: $"""
                [[web.users]]
                name = "ops"
                password_hash = "{WebPasswordHash.Create(OpsPassword, 1000)}"
                role = "operator"
                [[web.users]]
                name = "viewer"
                password_hash = "{WebPasswordHash.Create(ViewerPassword, 1000)}"
                role = "read-only"
                [[web.negotiate]]
                principal = "{TestStack.UserPrincipal}"
                role = "operator"
                """);
        Service = new Uri($"http://localhost:{Site.Api.BaseAddress!.Port}/");
        using var submit = new HttpRequestMessage(HttpMethod.Post, "/api/image-builder-composer/v2/compose")
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["distribution"] = "fedora-42",
                ["koji"] = new JsonObject { ["server"] = Site.Hub.Url.AbsoluteUri, ["task_id"] = 910_001, ["name"] = "Fedora-Cloud", ["version"] = "42", ["release"] = "auth.1" },
                ["image_requests"] = new JsonArray(new JsonObject { ["architecture"] = "x86_64", ["image_type"] = "guest-image", ["repositories"] = new JsonArray() }),
            }),
        };
        submit.Headers.Authorization = Ops;
        using var response = await Site.Api.SendAsync(submit);
        response.EnsureSuccessStatusCode();
        ComposeId = (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;

        // Finished before the tests act on it, so that what they see does not depend on timing.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((string?)(await StatusAsync())["kojicomposer"]!["state"] is not ("success" or "failure") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
    }

    /// <summary>The compose's state as the API shows it to <c>ops</c>.</summary>
    public async Task<JsonObject> StatusAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/image-builder-composer/v2/composes/{ComposeId}");
        request.Headers.Authorization = Ops;
        using var response = await Site.Api.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static AuthenticationHeaderValue Ops => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"ops:{OpsPassword}")));

    public async Task DisposeAsync() => await Site.DisposeAsync();
}

/// <summary>How <c>kojicomposer</c> logs in to the service (<c>service_auth</c>) and what it says when it may not,
/// through the real command tree against the real access rules.</summary>
public sealed class ServiceAuthTests(AuthSite site) : IClassFixture<AuthSite>, IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private string Service => site.Service.AbsoluteUri.TrimEnd('/');

    private void Profile(string extra) => _cli.WriteProfile(site.Site.Hub.Url, site.Service, extra: extra);

    private string Basic(string user, string? passwordInFile = null)
    {
        var file = passwordInFile is null ? "" : $"service_password_file = \"{_cli.WriteFile("password", passwordInFile + "\n")}\"";
        return $"service_auth = \"basic\"\nservice_user = \"{user}\"\n{file}";
    }

    [Fact]
    public async Task Auto_LogsInWithKerberos_WhenTheServiceChallengesWithNegotiate()
    {
        Profile("");

        var result = await _cli.RunAsync("compose", "show", site.ComposeId);

        Assert.True(result.Code == ExitCodes.Success, result.ToString());
        Assert.Equal($"Compose {site.ComposeId}: Fedora-Cloud-42-auth.1", result.OutLines[0]);
    }

    [Fact]
    public async Task Negotiate_AsAnOperator_GetsPastTheRoleCheck()
    {
        Profile("service_auth = \"negotiate\"");

        var list = await _cli.RunAsync("compose", "list", "--task", "910001");
        var cancel = await _cli.RunAsync("compose", "cancel", site.ComposeId);

        Assert.True(list.Code == ExitCodes.Success, list.ToString());
        Assert.StartsWith(site.ComposeId, list.OutLines[1], StringComparison.Ordinal);
        // The compose has finished: the service refuses the cancel for that, not for the role.
        Assert.Equal(ExitCodes.ServiceError, cancel.Code);
        Assert.StartsWith($"kojicomposer compose cancel: error: compose {site.ComposeId} (Fedora-Cloud-42-auth.1) was not canceled: Compose has already finished (it ended: ", cancel.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Negotiate_AsAPrincipalWithoutARole_IsRefused()
    {
        _cli.WriteUserConfig($"""
            [koji]
            server = "{site.Site.Hub.Url.AbsoluteUri}"
            service = "{site.Service.AbsoluteUri}"
            principal = "{TestStack.StrangerPrincipal}"
            keytab = "{TestStack.Keytab("stranger")}"
            service_auth = "negotiate"
            max_retries = 1
            """);

        var result = await _cli.RunAsync("compose", "list");

        Assert.Equal(ExitCodes.ServiceError, result.Code);
        Assert.Equal(
            $"kojicomposer compose list: error: KojiComposer service {Service}: GET /api/image-builder-composer/v2/composes/: Account is unauthorized to perform this action: "
            + $"principal {TestStack.StrangerPrincipal} has no role on this service (IMAGE-BUILDER-COMPOSER-2, HTTP 403)\n",
            result.Error);
    }

    [Fact]
    public async Task None_Gets401_AndIsToldHowToLogIn()
    {
        Profile("service_auth = \"none\"");

        var result = await _cli.RunAsync("compose", "list");

        Assert.Equal(ExitCodes.Authentication, result.Code);
        Assert.Equal(
            $"kojicomposer compose list: error: KojiComposer service {Service}: GET /api/image-builder-composer/v2/composes/: Account authentication could not be verified: authentication required "
            + "(IMAGE-BUILDER-COMPOSER-401, HTTP 401); log in: set service_auth = \"negotiate\" (after kinit) or \"basic\" with service_user and a password in profile [koji]\n",
            result.Error);
    }

    [Fact]
    public async Task Basic_WithThePasswordFile_ListsComposes()
    {
        Profile(Basic("ops", AuthSite.OpsPassword));

        var result = await _cli.RunAsync("compose", "list", "--task", "910001");

        Assert.True(result.Code == ExitCodes.Success, result.ToString());
        Assert.StartsWith(site.ComposeId, result.OutLines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Basic_TheEnvironmentsPassword_WinsOverTheFile()
    {
        Profile(Basic("ops", "not-the-password"));
        _cli.Environment["KOJICOMPOSER_PASSWORD"] = AuthSite.OpsPassword;
        var fromEnvironment = await _cli.RunAsync("compose", "show", site.ComposeId);

        Profile(Basic("ops", AuthSite.OpsPassword));
        _cli.Environment["KOJICOMPOSER_PASSWORD"] = "not-the-password";
        var overridden = await _cli.RunAsync("compose", "show", site.ComposeId);

        Assert.True(fromEnvironment.Code == ExitCodes.Success, fromEnvironment.ToString());
        Assert.Equal(ExitCodes.Authentication, overridden.Code);
    }

    [Fact]
    public async Task Basic_WrongPassword_ExitsAuthentication_SayingWhatToCheck_WithoutThePassword()
    {
        Profile(Basic("ops", "wrong-Secret-9Vv"));

        var result = await _cli.RunAsync("compose", "list");

        Assert.Equal(ExitCodes.Authentication, result.Code);
        Assert.Equal(
            $"kojicomposer compose list: error: KojiComposer service {Service}: GET /api/image-builder-composer/v2/composes/: Account authentication could not be verified: wrong user name or password "
            + "(IMAGE-BUILDER-COMPOSER-401, HTTP 401); check service_user (\"ops\") and the password (KOJICOMPOSER_PASSWORD, else service_password_file) in profile [koji]\n",
            result.Error);
        Assert.DoesNotContain("wrong-Secret-9Vv", result.Out + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Basic_WithoutAnyPassword_IsAConfigurationError()
    {
        Profile(Basic("ops"));

        var result = await _cli.RunAsync("compose", "list");

        Assert.Equal(ExitCodes.Configuration, result.Code);
        Assert.Equal(
            $"kojicomposer compose list: error: {Path.Combine(_cli.Home, ".config", "kojicomposer", "cli.toml")}: koji.service_auth: \"basic\" needs a password for ops: set KOJICOMPOSER_PASSWORD, or service_password_file (a file with the password on its first line)\n",
            result.Error);
    }

    [Fact]
    public async Task ReadOnlyUser_Cancelling_Gets403_NeedsTheOperatorRole()
    {
        Profile(Basic("viewer", AuthSite.ViewerPassword));

        var show = await _cli.RunAsync("compose", "show", site.ComposeId);
        var cancel = await _cli.RunAsync("compose", "cancel", site.ComposeId);

        Assert.True(show.Code == ExitCodes.Success, show.ToString());
        Assert.Equal(ExitCodes.ServiceError, cancel.Code);
        Assert.Equal(
            $"kojicomposer compose cancel: error: KojiComposer service {Service}: POST /api/image-builder-composer/v2/composes/{site.ComposeId}/cancel: Account is unauthorized to perform this action: "
            + "this action needs the operator role (IMAGE-BUILDER-COMPOSER-2, HTTP 403); user viewer has the read-only role there: ask the service's admin for role = \"operator\"\n",
            cancel.Error);
    }
}
