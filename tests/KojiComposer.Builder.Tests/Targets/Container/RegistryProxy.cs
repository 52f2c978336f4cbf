using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Tests.Targets.Container;

/// <summary>
/// An HTTP proxy on loopback port 0 in front of the stack's docker-registry, for what that registry (no auth) does
/// not do: demand Basic credentials (401 with <c>WWW-Authenticate: Basic</c> until they match), or answer every
/// request with 503. Requests that pass are forwarded with the proxy's Host header, so the registry's upload
/// locations point back at the proxy.
/// </summary>
internal sealed class RegistryProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Authorization", "Connection", "Transfer-Encoding", "Keep-Alive", "Content-Length", "Content-Type",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _client = new(new SocketsHttpHandler { AllowAutoRedirect = false });
    private readonly string _registry;

    private RegistryProxy(WebApplication app, string registry)
    {
        _app = app;
        _registry = registry;
    }

    /// <summary><c>user:password</c> in base64 that requests must carry; null = no auth.</summary>
    public string? ExpectedBasic { get; init; }

    /// <summary>Answer every request with 503 Service Unavailable.</summary>
    public bool Unavailable { get; init; }

    /// <summary>Called with each request before it is answered (e.g. to look at the scratch directory).</summary>
    public Action<HttpContext>? OnRequest { get; init; }

    /// <summary>The Authorization headers seen (empty string for none).</summary>
    public ConcurrentQueue<string> Authorizations { get; } = new();

    /// <summary><c>127.0.0.1:PORT</c>.</summary>
    public string Address { get; private set; } = "";

    public static async Task<RegistryProxy> StartAsync(string registry, string? user = null, string? password = null, bool unavailable = false, Action<HttpContext>? onRequest = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var proxy = new RegistryProxy(app, registry)
        {
            ExpectedBasic = user is null ? null : Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{password}")),
            Unavailable = unavailable,
            OnRequest = onRequest,
        };
        app.Run(proxy.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        proxy.Address = $"127.0.0.1:{new Uri(address).Port}";
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _client.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        OnRequest?.Invoke(context);
        var authorization = context.Request.Headers.Authorization.ToString();
        Authorizations.Enqueue(authorization);
        if (Unavailable)
        {
            context.Response.StatusCode = 503;
            await context.Response.WriteAsync("registry is down for maintenance");
            return;
        }

        if (ExpectedBasic is { } expected && !string.Equals(authorization, $"Basic {expected}", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"kojicomposer-test\"";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
            return;
        }

        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method),
            $"http://{_registry}{context.Request.Path}{context.Request.QueryString}");
        foreach (var (key, value) in context.Request.Headers.Where(h => !HopHeaders.Contains(h.Key)))
        {
            request.Headers.TryAddWithoutValidation(key, [.. value]);
        }

        request.Headers.Host = context.Request.Host.Value;
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(context.Request.Body);
            if (context.Request.ContentLength is { } length)
            {
                request.Content.Headers.ContentLength = length;
            }

            if (context.Request.ContentType is { } type)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
            }
        }
        else if (context.Request.ContentType is { } type)
        {
            request.Content = new ByteArrayContent([]);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
        }

        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (key, value) in response.Headers.Concat(response.Content.Headers).Where(h => !string.Equals(h.Key, "Transfer-Encoding", StringComparison.OrdinalIgnoreCase)))
        {
            context.Response.Headers[key] = value.ToArray();
        }

        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }
}
