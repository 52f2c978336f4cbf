using System.Net;
using System.Text;
using KojiComposer.Cli.Commands;
using KojiComposer.Cli.Service;
using KojiComposer.Config.Cli;
using KojiComposer.HubBridge.Authentication;
using KojiComposer.Testing;

namespace KojiComposer.Cli.Tests.Service;

/// <summary><see cref="ServiceClient"/> where the real service cannot show it: nothing listening, connections that
/// break after a request was sent, a service that does not prove its Kerberos identity, TLS with a private CA.</summary>
public sealed class ServiceClientTests : IClassFixture<TestCertificates>, IDisposable
{
    private const string ListJson = """{"href":"/api/image-builder-composer/v2/composes/","kind":"ComposeList","total":0,"offset":0,"limit":50,"items":[]}""";

    private readonly CliHarness _cli = new();
    private readonly TestCertificates _certificates;

    public ServiceClientTests(TestCertificates certificates) => _certificates = certificates;

    public void Dispose() => _cli.Dispose();

    private static CliProfile Profile(CliServiceAuth auth = CliServiceAuth.None) => new()
    {
        Name = "koji",
        ServiceAuth = auth,
        MaxRetries = 3,
        RetryInterval = TimeSpan.FromMilliseconds(10),
    };

    private static ServiceClient Client(Uri url, CliProfile profile, HttpMessageHandler? handler = null) =>
        new(url, profile, new KerberosIdentity(TestStack.UserPrincipal, TestStack.Keytab("releng")), _ => null, handler);

    [Fact]
    public async Task Unreachable_ExitsServiceUnreachable_NamingTheUrl_WithoutItsPassword()
    {
        _cli.WriteProfile(new Uri("http://localhost:9/kojihub"));

        var result = await _cli.RunAsync("compose", "list", "--server", "http://someone:Secret-4Kp@127.0.0.1:9");

        Assert.Equal(ExitCodes.ServiceUnreachable, result.Code);
        Assert.Equal(
            "kojicomposer compose list: error: KojiComposer service http://127.0.0.1:9: GET /api/image-builder-composer/v2/composes/: cannot reach the service (tried 2 times): "
            + "Connection refused (127.0.0.1:9); is kojicomposerd running there? Otherwise fix service in profile [koji] or pass --server URL\n",
            result.Error);
        Assert.DoesNotContain("Secret-4Kp", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AUrlThatIsNotTheService_IsAServiceError_NotAnUnknownCompose()
    {
        const string Page = "<!DOCTYPE html>\n<html><body><h1>Not Found</h1></body></html>\n";
        await using var fake = new FakeService(_ => $"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: {Page.Length}\r\nConnection: close\r\n\r\n{Page}");
        _cli.WriteProfile(new Uri("http://localhost:9/kojihub"), new Uri($"http://127.0.0.1:{fake.Port}"), extra: "service_auth = \"none\"");

        var result = await _cli.RunAsync("compose", "show", "0192f5e4-8a1c-7b3d-9e2f-4a5b6c7d8e9f");

        Assert.Equal(ExitCodes.ServiceError, result.Code);
        Assert.Equal(
            $"kojicomposer compose show: error: KojiComposer service http://127.0.0.1:{fake.Port}: GET /api/image-builder-composer/v2/composes/0192f5e4-8a1c-7b3d-9e2f-4a5b6c7d8e9f: HTTP 404 Not Found, and not from the API; "
            + $"is http://127.0.0.1:{fake.Port} the KojiComposer service (its API is under /api/image-builder-composer/v2)? Otherwise fix service in profile [koji] or pass --server URL\n",
            result.Error);
    }

    [Fact]
    public async Task AnAnswerNobodyForesaw_IsOneLineAndExitOne_NotAStackTrace()
    {
        // A ComposeStatus without its id (a broken proxy, a newer or older service): the command cannot go on.
        await using var fake = new FakeService(_ => FakeService.Json("""{"kind": "ComposeStatus", "kojicomposer": {"images": []}}"""));
        _cli.WriteProfile(new Uri("http://localhost:9/kojihub"), new Uri($"http://127.0.0.1:{fake.Port}"), extra: "service_auth = \"none\"");

        var result = await _cli.RunAsync("--format", "json", "compose", "logs", "0192f5e4-8a1c-7b3d-9e2f-4a5b6c7d8e9f");

        Assert.Equal(ExitCodes.Failure, result.Code);
        Assert.Equal("", result.Out);
        var line = Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("kojicomposer compose logs: error: unexpected FormatException: ", line, StringComparison.Ordinal);
        Assert.EndsWith("(a bug in kojicomposer: please report it with the command line)", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_IsSentAgain_WhenTheConnectionBreaksBeforeTheAnswer()
    {
        await using var fake = new FakeService(_ => null);
        using var client = Client(new Uri($"http://127.0.0.1:{fake.Port}"), Profile());

        var e = await Assert.ThrowsAsync<ServiceException>(() => client.GetComposeAsync(Guid.NewGuid(), CancellationToken.None));

        // Our three attempts (the handler may resend a GET on a fresh connection by itself too).
        Assert.True(fake.Requests >= 3, $"{fake.Requests} requests");
        Assert.True(e.Unreachable);
        Assert.Contains(": cannot reach the service (tried 3 times): ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_IsNotSentAgain_OnceItReachedTheService()
    {
        await using var fake = new FakeService(_ => null);
        using var client = Client(new Uri($"http://127.0.0.1:{fake.Port}"), Profile());
        var id = Guid.NewGuid();

        var e = await Assert.ThrowsAsync<ServiceException>(() => client.CancelAsync(id, CancellationToken.None));

        Assert.Equal(1, fake.Requests);
        Assert.Equal(ExitCodes.ServiceUnreachable, BaseCommand.ExitCodeFor(e));
        Assert.StartsWith($"KojiComposer service http://127.0.0.1:{fake.Port}: POST /api/image-builder-composer/v2/composes/{id}/cancel: the connection broke before the service answered (", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("); the request may have been carried out: look with kojicomposer compose show before trying again", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_IsSentAgain_WhenItNeverReachedTheService()
    {
        var handler = new StubHandler(
            _ => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (kojicomposer.example.com:443)"),
            _ => Answer(HttpStatusCode.Accepted, """{"kind":"ComposeRetry","images_reset":2}"""));
        using var client = Client(new Uri("https://kojicomposer.example.com"), Profile(), handler);

        var answer = await client.RetryFailedAsync(Guid.NewGuid(), CancellationToken.None);

        Assert.Equal(2, (int)answer["images_reset"]!);
        Assert.Equal(2, handler.Calls);
    }

    [Fact]
    public async Task Negotiate_IsRefused_WhenTheServiceDoesNotProveItsIdentity()
    {
        var handler = new StubHandler(request =>
        {
            Assert.Equal("Negotiate", request.Headers.Authorization?.Scheme);
            return Answer(HttpStatusCode.OK, ListJson);
        });
        using var client = Client(new Uri("http://localhost:8700"), Profile(CliServiceAuth.Negotiate), handler);

        var e = await Assert.ThrowsAsync<KerberosException>(() => client.ListComposesAsync(new Dictionary<string, string?>(), CancellationToken.None));

        Assert.Equal(ExitCodes.Authentication, BaseCommand.ExitCodeFor(e));
        Assert.Equal(
            "KojiComposer service http://localhost:8700: GET /api/image-builder-composer/v2/composes/: the service did not prove its identity as HTTP/localhost: "
            + "its answer has no 'WWW-Authenticate: Negotiate <token>' (mutual authentication failed); is http://localhost:8700 really the KojiComposer service?",
            e.Message);
    }

    [Fact]
    public async Task Negotiate_IsRefused_WhenTheServicesTokenDoesNotVerify()
    {
        var handler = new StubHandler(_ =>
        {
            var response = Answer(HttpStatusCode.OK, ListJson);
            response.Headers.WwwAuthenticate.ParseAdd("Negotiate " + Convert.ToBase64String(Encoding.ASCII.GetBytes("not a kerberos token")));
            return response;
        });
        using var client = Client(new Uri("http://localhost:8700"), Profile(CliServiceAuth.Negotiate), handler);

        var e = await Assert.ThrowsAsync<KerberosException>(() => client.ListComposesAsync(new Dictionary<string, string?>(), CancellationToken.None));

        Assert.StartsWith("KojiComposer service http://localhost:8700: GET /api/image-builder-composer/v2/composes/: the service did not prove its identity as HTTP/localhost: its Negotiate token does not verify", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auto_DoesNotGuessAPassword_WhenTheServiceOffersOnlyBasic()
    {
        var handler = new StubHandler(request =>
        {
            Assert.Null(request.Headers.Authorization);
            var challenge = Answer(HttpStatusCode.Unauthorized, """{"kind":"Error","id":"401","code":"IMAGE-BUILDER-COMPOSER-401","reason":"Account authentication could not be verified","details":"authentication required"}""");
            challenge.Headers.WwwAuthenticate.ParseAdd("Basic realm=\"KojiComposer\"");
            return challenge;
        });
        using var client = Client(new Uri("http://localhost:8700"), Profile(CliServiceAuth.Auto), handler);

        var e = await Assert.ThrowsAsync<ServiceException>(() => client.ListComposesAsync(new Dictionary<string, string?>(), CancellationToken.None));

        // Basic only: auto does not guess a password; it says how to configure one.
        Assert.Equal(1, handler.Calls);
        Assert.Equal(ExitCodes.Authentication, BaseCommand.ExitCodeFor(e));
        Assert.EndsWith("(IMAGE-BUILDER-COMPOSER-401, HTTP 401); log in: set service_auth = \"basic\" with service_user and a password in profile [koji]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_TrustsTheServiceCaBundle()
    {
        await using var fake = new FakeService(_ => FakeService.Json(ListJson), _certificates.Server);
        var bundle = _cli.WriteFile("service-ca.pem", _certificates.CaPem);
        _cli.WriteProfile(new Uri("http://localhost:9/kojihub"), new Uri($"https://localhost:{fake.Port}"), extra: $"service_ca_bundle = \"{bundle}\"\nservice_auth = \"none\"");

        var result = await _cli.RunAsync("compose", "list");

        Assert.True(result.Code == ExitCodes.Success, result.ToString());
        Assert.Equal("No composes.\n", result.Out);
    }

    [Fact]
    public async Task Tls_WithoutTheBundle_ExitsServiceUnreachable_PointingAtServiceCaBundle()
    {
        await using var fake = new FakeService(_ => FakeService.Json(ListJson), _certificates.Server);
        _cli.WriteProfile(new Uri("http://localhost:9/kojihub"), new Uri($"https://localhost:{fake.Port}"), extra: "service_auth = \"none\"");

        var result = await _cli.RunAsync("compose", "list");

        Assert.Equal(ExitCodes.ServiceUnreachable, result.Code);
        Assert.StartsWith($"kojicomposer compose list: error: KojiComposer service https://localhost:{fake.Port}: GET /api/image-builder-composer/v2/composes/: TLS with the service failed: ", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("; if a private CA signed the service's certificate, set service_ca_bundle in profile [koji]\n", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, fake.Requests);
    }

    [Fact]
    public async Task Tls_ABundleWithoutCertificates_IsAConfigurationError()
    {
        var bundle = _cli.WriteFile("service-ca.pem", "not a certificate\n");
        var config = _cli.WriteProfile(new Uri("http://localhost:9/kojihub"), new Uri("https://localhost:9"), extra: $"service_ca_bundle = \"{bundle}\"");

        var result = await _cli.RunAsync("compose", "list");

        Assert.Equal(ExitCodes.Configuration, result.Code);
        Assert.Equal($"kojicomposer compose list: error: {config}: koji.service_ca_bundle: {bundle} holds no PEM certificate (-----BEGIN CERTIFICATE-----)\n", result.Error);
    }

    private static HttpResponseMessage Answer(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    /// <summary>Answers each request with the next function (the last one repeats).</summary>
    private sealed class StubHandler(params Func<HttpRequestMessage, HttpResponseMessage>[] answers) : HttpMessageHandler
    {
        private int _calls;

        public int Calls => _calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var call = Interlocked.Increment(ref _calls);
            return Task.FromResult(answers[Math.Min(call, answers.Length) - 1](request));
        }
    }
}
