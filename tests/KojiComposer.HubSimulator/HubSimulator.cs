using System.Collections.Concurrent;
using KojiComposer.HubBridge.Authentication;
using KojiComposer.HubSimulator.Handlers;
using KojiComposer.HubSimulator.Http;
using KojiComposer.HubSimulator.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KojiComposer.HubSimulator;

/// <summary>
/// A Koji hub on loopback, faithful to the stock hub wherever KojiComposer's flow touches it (spec koji-wire.md,
/// cg-import.md, observed/): real HTTP, real SPNEGO at <c>/kojihub/ssllogin</c> against the test KDC, sessions and
/// call numbers, exclusive host sessions, uploads on disk, and the task, build and content-generator rules. It
/// records every request so tests can assert the exact conversation.
/// </summary>
public sealed partial class HubSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedCall> _calls = new();
    private readonly bool _ownsKojiDir;
    private TimeProvider _time = TimeProvider.System;

    private HubSimulator(WebApplication app, HubSimulatorOptions options, string kojiDir, bool ownsKojiDir)
    {
        _app = app;
        Options = options;
        KojiDir = kojiDir;
        _ownsKojiDir = ownsKojiDir;
        Dispatcher = new Dispatcher();
        Endpoint = new HubEndpoint(this);
        SessionHandlers.Register(this);
        RegisterFeatureHandlers();
    }

    /// <summary>Feature files (tasks, builds, CG, tags) register their handlers here.</summary>
    partial void RegisterFeatureHandlers();

    public HubSimulatorOptions Options { get; }

    public HubState State { get; } = new();

    public Dispatcher Dispatcher { get; }

    internal HubEndpoint Endpoint { get; }

    /// <summary>The hub's clock. Setting it (e.g. to a test's manual clock) moves the scheduler's timers onto it.</summary>
    public TimeProvider Time
    {
        get => _time;
        set
        {
            _time = value;
            OnTimeChanged();
        }
    }

    /// <summary>Feature files re-arm their timers on the new clock here.</summary>
    partial void OnTimeChanged();

    /// <summary>Feature files stop their timers here.</summary>
    partial void OnDisposing();

    /// <summary>The hub's top directory (koji <c>KojiDir</c>): <c>work/</c>, <c>packages/</c>.</summary>
    public string KojiDir { get; }

    public string WorkDir => Path.Combine(KojiDir, "work");

    /// <summary>The XML-RPC URL, <c>http://localhost:PORT/kojihub</c> (localhost: the SPN is HTTP/localhost).</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<RecordedCall> Calls => _calls.ToArray();

    /// <summary>The recorded calls of one method.</summary>
    public IReadOnlyList<RecordedCall> CallsTo(string method) => _calls.Where(c => string.Equals(c.Method, method, StringComparison.Ordinal)).ToArray();

    /// <summary>Forget the recorded calls.</summary>
    public void ClearCalls() => _calls.Clear();

    internal void Record(RecordedCall call) => _calls.Enqueue(call);

    // ---- failure injection, for tests of the client's resilience ----

    /// <summary>For an upload request, the number of body bytes after which the connection is cut (null: none).</summary>
    public Func<UploadRequest, long?>? BreakUpload { get; set; }

    /// <summary>Awaited before an upload request is written (null: none): a test holds an upload in flight, e.g. to
    /// stop the client in the middle of it, and releases it later. The client's request simply waits.</summary>
    public Func<UploadRequest, Task>? HoldUpload { get; set; }

    /// <summary>How long a cut-off upload request keeps the file's lock after its connection was cut, as a hub
    /// worker still busy with the broken request does (a re-sent chunk meanwhile gets 1001 LockError).</summary>
    public TimeSpan LockHeldAfterBreak { get; set; }

    /// <summary>For an RPC, an HTTP status to answer with instead (e.g. 503), or null to answer normally.</summary>
    public Func<string, int?>? FailRpcWithStatus { get; set; }

    /// <summary>The Location sent with a 3xx from <see cref="FailRpcWithStatus"/>.</summary>
    public Uri? RedirectTo { get; set; }

    /// <summary>For an RPC: run it, then cut the connection instead of replying (a lost reply).</summary>
    public Func<string, bool>? DropReplyAfterRunning { get; set; }

    /// <summary>For an RPC: send only the first half of the reply document (a garbled reply).</summary>
    public Func<string, bool>? TruncateReply { get; set; }

    /// <summary>Answer every request with an HTML page, like a web server in front of the wrong URL.</summary>
    public bool AnswerHtml { get; set; }

    /// <summary>Hub option ServerOffline: every call answers fault 1014.</summary>
    public bool Offline { get; set; }

    public static async Task<HubSimulator> StartAsync(HubSimulatorOptions? options = null, ILoggerProvider? logging = null)
    {
        options ??= new HubSimulatorOptions();
        if (options.ServiceKeytab is not null)
        {
            NativeKerberos.UseAcceptorKeytab(options.ServiceKeytab);
        }

        var ownsKojiDir = options.KojiDir is null;
        var kojiDir = options.KojiDir ?? Directory.CreateTempSubdirectory("kojisim-").FullName;
        Directory.CreateDirectory(Path.Combine(kojiDir, "work"));

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logging is not null)
        {
            builder.Logging.AddProvider(logging);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(System.Net.IPAddress.Loopback, options.Port, listen =>
            {
                if (options.Certificate is { } certificate)
                {
                    listen.UseHttps(certificate);
                }
            });
            kestrel.Limits.MaxRequestBodySize = null; // uploads of many GiB in one request are allowed
            kestrel.Limits.MinRequestBodyDataRate = null;
        });
        var app = builder.Build();
        var hub = new HubSimulator(app, options, kojiDir, ownsKojiDir);
        app.Run(hub.Endpoint.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        hub.Url = new Uri($"{(options.Certificate is null ? "http" : "https")}://localhost:{port}/kojihub");
        return hub;
    }

    public async ValueTask DisposeAsync()
    {
        OnDisposing();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        if (_ownsKojiDir)
        {
            try
            {
                Directory.Delete(KojiDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

/// <summary>What an upload request asked for, as failure-injection hooks see it.</summary>
public sealed record UploadRequest(string Directory, string Name, long Offset, long? Length, long? SessionId);
