using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Tests.Targets.Aws;

/// <summary>An in-process HTTP server on 127.0.0.1 port 0 (Kestrel) answering every request with
/// <see cref="FakeHttpServer(Func{HttpContext, Task})"/>'s handler; what cloud APIs without a local server are
/// tested against.</summary>
internal sealed class FakeHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    public FakeHttpServer(Func<HttpContext, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Run(async context =>
        {
            Interlocked.Increment(ref _requests);
            await handler(context);
        });
        _app.StartAsync().GetAwaiter().GetResult();
        Url = new Uri(_app.Urls.First());
    }

    private int _requests;

    public Uri Url { get; }

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>A server answering every request with <paramref name="status"/> and an S3-style error body.</summary>
    public static FakeHttpServer S3Error(int status, string code, string message) => new(async context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message><RequestId>fake</RequestId></Error>");
    });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One recorded request of a fake: method, path and form/query parameters.</summary>
internal sealed record FakeRequest(string Method, string Path, IReadOnlyDictionary<string, string> Parameters)
{
    public string? this[string name] => Parameters.GetValueOrDefault(name);
}

/// <summary>Requests in arrival order.</summary>
internal sealed class RequestLog
{
    private readonly ConcurrentQueue<FakeRequest> _requests = new();

    public void Add(FakeRequest request) => _requests.Enqueue(request);

    public List<FakeRequest> All => [.. _requests];
}
