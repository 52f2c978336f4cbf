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
/// The web front on a real Kestrel listener (127.0.0.1, port 0) with the embedded (SQLite) compose store in a
/// temporary directory, <see cref="FakeComposeOperations"/>, Hangfire's in-memory storage and a manual clock.
/// </summary>
internal sealed class WebApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private readonly string _directory;

    private WebApp(WebApplication app, IComposeStore store, FakeComposeOperations operations, ManualTimeProvider time, Uri address, string directory)
    {
        _app = app;
        _directory = directory;
        Store = store;
        Composes = new StoredComposes(store, time);
        Operations = operations;
        Time = time;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    public IComposeStore Store { get; }

    /// <summary>Puts composes in the store in the states the tests show.</summary>
    public StoredComposes Composes { get; }

    public FakeComposeOperations Operations { get; }

    public ManualTimeProvider Time { get; }

    /// <summary>Base address, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri Address { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static readonly Uri KojiWeb = new("https://koji.example.test/koji");

    /// <param name="settings">Web settings; default: local access, Koji web links.</param>
    /// <param name="configure">More services.</param>
    /// <param name="unreadableStore">True for a store whose file cannot be opened (a database that went away).</param>
    public static async Task<WebApp> StartAsync(WebSettings? settings = null, Action<IServiceCollection>? configure = null, bool unreadableStore = false)
    {
        settings ??= new WebSettings { KojiWebUrl = KojiWeb };
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var time = new ManualTimeProvider();
        var directory = Directory.CreateTempSubdirectory("kc-web-").FullName;
        var path = unreadableStore ? "/proc/kojicomposer-no-such-dir/kojicomposer.db" : Path.Combine(directory, "kojicomposer.db");
        var store = ComposeStoreFactory.Create(new StoreSettings { Kind = StoreKind.Embedded, EmbeddedPath = path });
        if (!unreadableStore)
        {
            await store.MigrateAsync(default);
        }

        var operations = new FakeComposeOperations(store, time);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<IComposeStore>(store);
        builder.Services.AddSingleton<IComposeOperations>(operations);
        // As the engine does: the storage as a service, no AddHangfire (it would set Hangfire's process-wide log
        // provider to this app's logger factory, which is disposed with the app while other tests go on).
        builder.Services.AddSingleton<JobStorage>(_ => new Hangfire.InMemory.InMemoryStorage());
        builder.Services.AddComposeWeb(settings);
        configure?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapComposeWeb();
        await app.StartAsync();
        var address = new Uri(app.Urls.First(u => u.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)) + "/");
        return new WebApp(app, store, operations, time, address, directory);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (Store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
