using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using KojiComposer.Config;
using KojiComposer.Scheduler.Web.Access;
using KojiComposer.Service.Hosting;

namespace KojiComposer.Service.Tests;

/// <summary>The all-in-one service as installed: kojicomposerd's own host on the embedded store, reached over HTTP.</summary>
public sealed class AllInOneServiceTests
{
    [Fact]
    public async Task AllInOne_ServesHealthDashboardAndApi_AndTellsWhatIsWrong()
    {
        using var config = ServiceConfig.AllInOne("http://127.0.0.1:0");
        await using var host = ServiceHost.Build(KojiComposerConfiguration.Load(config.Path), _ => { });
        await host.StartAsync(CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri(Assert.Single(host.Addresses)) };

        // The config's hub (koji.example.com) cannot be reached from here: /health says so, and why.
        using (var response = await http.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var health = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal("failing", (string?)health["status"]);
            Assert.Equal("ok", (string?)health["checks"]!["store"]!["status"]);
            Assert.Equal("failing", (string?)health["checks"]!["hub"]!["status"]);
            // Kerberos refuses at once here (no ticket for EXAMPLE.COM); a machine whose resolver hangs on the name would
            // hit the check's time limit instead.
            Assert.Matches(@"^(cannot log in to https://koji\.example\.com/kojihub as osbuild-cg@EXAMPLE\.COM: |no answer within 10 s)", (string?)health["checks"]!["hub"]!["details"]);
        }

        using (var dashboard = await http.GetAsync("/hangfire/composes"))
        {
            Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        }

        using var submit = await http.PostAsJsonAsync("/api/image-builder-composer/v2/compose", new JsonObject
        {
            ["distribution"] = "fedora-42",
            ["koji"] = new JsonObject { ["server"] = "https://koji.example.com/kojihub", ["task_id"] = 4242, ["name"] = "Fedora-Cloud", ["version"] = "42", ["release"] = "1" },
            ["image_requests"] = new JsonArray(new JsonObject { ["architecture"] = "x86_64", ["image_type"] = "guest-image", ["repositories"] = new JsonArray() }),
        });
        Assert.Equal(HttpStatusCode.Created, submit.StatusCode);
        var id = (string)(await submit.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;

        // The compose's hub is the configured one, but its content-generator user cannot log in from here (no
        // ticket for EXAMPLE.COM): the reservation fails, every image fails with 26, and the reason says why.
        JsonObject status;
        var deadline = DateTime.UtcNow.AddSeconds(90);
        do
        {
            await Task.Delay(100);
            status = (await http.GetFromJsonAsync<JsonObject>($"/api/image-builder-composer/v2/composes/{id}"))!;
        }
        while ((string?)status["status"] == "pending" && DateTime.UtcNow < deadline);

        await host.StopAsync();
        Assert.Equal("failure", (string?)status["status"]);
        var image = status["image_statuses"]![0]!;
        Assert.Equal("failure", (string?)image["status"]);
        Assert.Equal(26, (int)image["error"]!["id"]!);
        var reservation = image["error"]!["details"]![0]!;
        Assert.Equal(2, (int)reservation["id"]!); // credentials that do not work are configuration, not a Koji fault
        Assert.StartsWith("cannot log in to https://koji.example.com/kojihub as osbuild-cg@EXAMPLE.COM (ambient credential cache) to reserve Fedora-Cloud-42-1: ", (string?)reservation["reason"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task HashPassword_PrintsAHashTheWebFrontAccepts_AndNeverThePassword()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await Program.RunAsync(["hash-password"], new ServiceConsole(output, error), CancellationToken.None, new StringReader("correct horse battery staple\n"));

        Assert.Equal(ExitCodes.Success, code);
        var hash = output.ToString().Trim();
        Assert.StartsWith("pbkdf2-sha256$", hash, StringComparison.Ordinal);
        Assert.DoesNotContain("horse", hash, StringComparison.Ordinal);
        Assert.True(WebPasswordHash.Verify("correct horse battery staple", hash));
        Assert.False(WebPasswordHash.Verify("wrong", hash));
        // ... and the config loader takes it as a password_hash.
        using var config = new ServiceConfig($"[[web.users]]\nname = \"releng\"\npassword_hash = \"{hash}\"\nrole = \"operator\"\n" + ServiceConfig.Hub);
        Assert.Equal(hash, Assert.Single(KojiComposerConfiguration.Load(config.Path).Web.Users).PasswordHash);
    }

    [Fact]
    public async Task HashPassword_ExitsWithUsage_WhenStdinIsEmpty()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await Program.RunAsync(["hash-password"], new ServiceConsole(output, error), CancellationToken.None, new StringReader(""));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", output.ToString());
        Assert.Contains("no password on standard input", error.ToString(), StringComparison.Ordinal);
    }
}
