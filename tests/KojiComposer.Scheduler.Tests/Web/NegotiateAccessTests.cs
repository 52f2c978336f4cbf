using System.Diagnostics;
using KojiComposer.Scheduler.Hosting;
using KojiComposer.Testing;

namespace KojiComposer.Scheduler.Tests.Web;

/// <summary>
/// Kerberos logins against the test stack's KDC: <c>curl --negotiate</c> with a ticket from the releng keytab asks
/// for <c>HTTP/localhost</c>, which the service accepts with the keytab in <c>KRB5_KTNAME</c>; principals map to roles.
/// </summary>
public sealed class NegotiateAccessTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(30);
    private readonly string _scratch = Directory.CreateTempSubdirectory("kc-web-krb-").FullName;
    private WebApp _web = null!;

    public async Task InitializeAsync() => _web = await WebApp.StartAsync(new WebSettings
    {
        AllowRemote = true,
        LocalRole = null,
        NegotiatePrincipals = [new NegotiatePrincipal(TestStack.UserPrincipal, WebRole.Operator)],
    });

    public async Task DisposeAsync() => await _web.DisposeAsync();

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public async Task KnownPrincipal_GetsIn_WithItsRole()
    {
        var compose = await _web.Composes.RunningAsync();

        var (code, body) = await CurlAsync("releng", TestStack.UserPrincipal, $"api/image-builder-composer/v2/composes/{compose.Id}/cancel", post: true);

        Assert.Equal("202", code);
        Assert.Contains("ComposeCancel", body, StringComparison.Ordinal);
        Assert.Equal([compose.Id], _web.Operations.Canceled);
    }

    [Fact]
    public async Task PrincipalWithoutARole_IsRefused()
    {
        var (code, body) = await CurlAsync("stranger", TestStack.StrangerPrincipal, "api/image-builder-composer/v2/composes/");

        Assert.Equal("403", code);
        Assert.Contains("has no role", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestWithoutATicket_IsChallengedWithNegotiate()
    {
        using var response = await _web.Client.GetAsync("api/image-builder-composer/v2/composes/");

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Negotiate");
    }

    private async Task<(string Code, string Body)> CurlAsync(string keytab, string principal, string path, bool post = false)
    {
        var ccache = "FILE:" + Path.Combine(_scratch, keytab + ".ccache");
        var kinit = await RunAsync("kinit", ["-k", "-t", TestStack.Keytab(keytab), "-c", ccache, principal], ccache);
        Assert.True(kinit.ExitCode == 0, kinit.Output);
        // The SPN comes from the host name: http://localhost asks for HTTP/localhost, the stack's service principal.
        var url = $"http://localhost:{_web.Address.Port}/{path}";
        var curl = await RunAsync("curl", ["-sS", "--negotiate", "-u", ":", "-o", "-", "-w", "\n%{http_code}", .. (post ? new[] { "-X", "POST" } : []), url], ccache);
        Assert.True(curl.ExitCode == 0, curl.Output);
        var lines = curl.Output.TrimEnd().Split('\n');
        return (lines[^1], string.Join('\n', lines[..^1]));
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string tool, string[] arguments, string ccache)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["KRB5_CONFIG"] = TestStack.Krb5Config;
        start.Environment["KRB5CCNAME"] = ccache;
        start.Environment.Remove("KRB5_CLIENT_KTNAME");
        using var timeout = new CancellationTokenSource(ToolTimeout);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
