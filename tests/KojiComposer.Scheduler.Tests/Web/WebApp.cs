using Hangfire;
using KojiComposer.Scheduler.Engine;
using KojiComposer.Scheduler.Hosting;
using KojiComposer.Scheduler.Store;
using KojiComposer.Scheduler.Web;
using KojiComposer.Testing.Time;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Scheduler.Tests.Web;

/// <summary>
/// The web front on a real Kestrel listener (127.0.0.1, port 0) with a <see cref="FakeComposeStore"/>,
/// <see cref="FakeComposeOperations"/>, Hangfire's in-memory storage and a manual clock.
/// </summary>
internal sealed class WebApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebApp(WebApplication app, FakeComposeStore store, FakeComposeOperations operations, ManualTimeProvider time, Uri address)
    {
        _app = app;
        Store = store;
        Operations = operations;
        Time = time;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    public FakeComposeStore Store { get; }

    public FakeComposeOperations Operations { get; }

    public ManualTimeProvider Time { get; }

    /// <summary>Base address, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri Address { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static readonly Uri KojiWeb = new("https://koji.example.test/koji");

    public static async Task<WebApp> StartAsync(WebSettings? settings = null, Action<IServiceCollection>? configure = null)
    {
        settings ??= new WebSettings { KojiWebUrl = KojiWeb };
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var time = new ManualTimeProvider();
        var store = new FakeComposeStore();
        var operations = new FakeComposeOperations(store, time);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<IComposeStore>(store);
        builder.Services.AddSingleton<IComposeOperations>(operations);
        builder.Services.AddHangfire(c => c.UseInMemoryStorage());
        builder.Services.AddComposeWeb(settings);
        configure?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapComposeWeb();
        await app.StartAsync();
        var address = new Uri(app.Urls.First(u => u.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)) + "/");
        return new WebApp(app, store, operations, time, address);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
