using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using KojiComposer.Config;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator;
using KojiComposer.HubSimulator.State;
using KojiComposer.Service.Hosting;
using KojiComposer.Testing.Hub;
using KojiComposer.Testing.Logging;
using KojiComposer.Testing;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Testing.Site;

/// <summary>
/// A Koji site and KojiComposer as installed, for end-to-end tests: the hub simulator (real HTTP and Kerberos
/// against the test KDC) with build tag <c>f42-build</c> (arches x86_64 aarch64 s390x ppc64le, a READY repo),
/// destination tag <c>f42</c> (package <c>Fedora-Cloud</c> listed), target <c>f42-candidate</c>; and
/// <c>kojicomposerd</c>'s own host (all three roles) configured with builder1's host keytab, the CG user's keytab
/// and the osbuild and image-builder stand-ins. Tasks are submitted as releng, as <c>koji osbuild-image</c> does.
/// </summary>
public sealed class IntakeSite : IAsyncDisposable
{
    public const string Target = "f42-candidate";
    public const string TopUrl = "https://koji.example.com/kojifiles";
    public const string PublicUrl = "https://kojicomposer.example.com";

    private readonly string _extraToml;
    private readonly string _hubToml;
    private readonly string _hostToml;
    private readonly string _webToml;
    private readonly string? _postgres;
    private readonly IReadOnlyDictionary<string, string> _osbuildEnvironment;
    private ServiceHost? _service;

    private IntakeSite(SimulatedHub simulated, string? postgres, IReadOnlyDictionary<string, string> osbuildEnvironment, string extraToml, string hubToml, string hostToml, string webToml)
    {
        _webToml = webToml;
        _hubToml = hubToml;
        _hostToml = hostToml;
        Simulated = simulated;
        _postgres = postgres;
        _osbuildEnvironment = osbuildEnvironment;
        _extraToml = extraToml;
        System.IO.Directory.CreateDirectory(Directory);
    }

    public SimulatedHub Simulated { get; }

    public HubSimulator.HubSimulator Hub => Simulated.Hub;

    /// <summary>The service's files: config, embedded store, osbuild store, build directories.</summary>
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "kc-intake-" + Guid.NewGuid().ToString("N"));

    public SimTag BuildTag { get; private set; } = null!;

    public SimTag DestTag { get; private set; } = null!;

    public SimRepo Repo { get; private set; } = null!;

    public CapturedLogs Logs { get; } = new();

    /// <summary>The service's API, while it runs.</summary>
    public HttpClient Api { get; private set; } = null!;

    /// <param name="postgres">A PostgreSQL connection string for the store; null: the embedded store.</param>
    /// <param name="osbuild">Extra environment for the osbuild stand-in (<c>[builder.environment]</c>), e.g. a
    /// scenario.</param>
    /// <param name="extraToml">More config lines, appended.</param>
    /// <param name="hubToml">More <c>[hub]</c> keys.</param>
    /// <param name="hostToml">More <c>[hub.host]</c> keys.</param>
    /// <param name="startService">False: the test starts kojicomposerd itself (in process or as a child).</param>
    /// <param name="webToml">More <c>[web]</c> keys (<c>allow_remote</c>, <c>local_role</c>); <c>[[web.users]]</c>
    /// and <c>[[web.negotiate]]</c> go in <paramref name="extraToml"/>.</param>
    public static async Task<IntakeSite> StartAsync(string? postgres = null, IReadOnlyDictionary<string, string>? osbuild = null, string extraToml = "", string hubToml = "", string hostToml = "", bool startService = true, string webToml = "")
    {
        // The hub's scheduler assigns on a host's poll at most once per RunInterval: 1 s keeps tests short.
        var simulated = await SimulatedHub.StartAsync(new HubSimulatorOptions { RunInterval = TimeSpan.FromSeconds(1) });
        var site = new IntakeSite(simulated, postgres, osbuild ?? new Dictionary<string, string>(), extraToml, hubToml, hostToml, webToml);
        site.Seed(state =>
        {
            site.BuildTag = state.AddTag("f42-build", "x86_64 aarch64 s390x ppc64le");
            site.DestTag = state.AddTag("f42");
            state.AddTarget(Target, "f42-build", "f42");
            site.Repo = state.AddRepo("f42-build", DateTimeOffset.UtcNow);
            state.AddPackage("f42", "Fedora-Cloud", "releng");
        });
        if (startService)
        {
            await site.StartServiceAsync();
        }

        return site;
    }

    /// <summary>Changes the hub's state directly, as an admin would.</summary>
    public void Seed(Action<HubState> seed) => Hub.Seed(seed);

    /// <summary>Reads the hub's state directly.</summary>
    public T Read<T>(Func<HubState, T> read) => Hub.Read(read);

    public SimTask TaskRow(long id) => Read(s => s.Tasks[id]);

    /// <summary>Starts kojicomposerd (again, after <see cref="StopServiceAsync"/>: a restart on the same store).</summary>
    public async Task StartServiceAsync()
    {
        var path = Path.Combine(Directory, "kojicomposer.toml");
        await File.WriteAllTextAsync(path, Config());
        var options = KojiComposerConfiguration.Load(path);
        _service = ServiceHost.Build(options, logging => logging.AddProvider(Logs));
        await _service.StartAsync(CancellationToken.None);
        Api = new HttpClient { BaseAddress = new Uri(_service.Addresses[0]) };
    }

    /// <summary>Starts kojicomposerd as its own process (<c>kojicomposerd serve --config …</c>, as systemd runs it),
    /// to be killed with SIGKILL.</summary>
    public async Task<System.Diagnostics.Process> StartChildServiceAsync()
    {
        var path = Path.Combine(Directory, "kojicomposer.toml");
        await File.WriteAllTextAsync(path, Config());
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kojicomposerd.dll"));
        info.ArgumentList.Add("serve");
        info.ArgumentList.Add("--config");
        info.ArgumentList.Add(path);
        var process = System.Diagnostics.Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { };
        process.ErrorDataReceived += (_, e) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Stops kojicomposerd gracefully (SIGTERM as systemd sends it).</summary>
    public async Task StopServiceAsync()
    {
        if (_service is { } service)
        {
            _service = null;
            Api.Dispose();
            await service.DisposeAsync();
        }
    }

    private string Config()
    {
        var standins = Path.Combine(AppContext.BaseDirectory, "standins");
        var store = _postgres is null
            ? $"path = \"{Directory}/kojicomposer.db\""
            : $"kind = \"postgresql\"\nconnection_string = \"{_postgres}\"";
        var environment = string.Join("\n", _osbuildEnvironment.Select(p => $"{p.Key} = \"{p.Value}\""));
        return $"""
            [service]
            server_name = "kc-e2e"
            shutdown_grace_seconds = 2
            [store]
            {store}
            [scheduler]
            lease_seconds = 30
            lease_renew_seconds = 1
            reconcile_interval_seconds = 1
            retry_initial_delay_seconds = 1
            retry_max_delay_seconds = 2
            [web]
            listen = ["http://127.0.0.1:0"]
            public_url = "{PublicUrl}"
            {_webToml}
            [builder]
            arches = ["x86_64", "aarch64", "s390x", "ppc64le"]
            workers = 2
            osbuild = "{standins}/osbuild"
            store_dir = "{Directory}/osbuild-store"
            work_dir = "{Directory}/builds"
            generator.command = "{standins}/image-builder"
            [builder.environment]
            {environment}
            [hub]
            url = "{Hub.Url.AbsoluteUri}"
            topurl = "{TopUrl}"
            {_hubToml}
            [hub.host]
            principal = "{TestStack.HostPrincipal}"
            keytab = "{TestStack.Keytab("builder1")}"
            poll_interval_seconds = 0.3
            {_hostToml}
            [hub.content_generator]
            principal = "{TestStack.ContentGeneratorPrincipal}"
            keytab = "{TestStack.Keytab("osbuild-cg")}"
            [hub.retry]
            initial_delay_seconds = 0.1
            max_delay_seconds = 0.5
            {_extraToml}
            """;
    }

    /// <summary>Logs in as releng (the user running <c>koji osbuild-image</c>).</summary>
    public Task<KojiSession> LoginUserAsync() => Simulated.LoginAsync(SimulatedHub.UserIdentity);

    /// <summary>Calls <c>osbuildImage</c> as the stock CLI does (opts as a trailing keyword struct) and returns the
    /// task id.</summary>
    public async Task<long> SubmitAsync(IReadOnlyList<string> arches, XmlRpcStruct? opts = null, string imageType = "qcow2", string name = "Fedora-Cloud", string version = "42", string distro = "fedora-42", string target = Target)
    {
        await using var user = await LoginUserAsync();
        var kwargs = KojiKeywordArguments.Of(("opts", opts ?? new XmlRpcStruct()));
        var reply = await user.CallAsync(KojiCall.Write("osbuildImage", name, version, distro, imageType, target, arches.Cast<object?>().ToArray(), kwargs));
        return Convert.ToInt64(reply, CultureInfo.InvariantCulture);
    }

    /// <summary>Waits until the task is CLOSED, FAILED or CANCELED (or <paramref name="states"/>), polling the
    /// hub's state; fails after <paramref name="seconds"/>.</summary>
    public async Task<SimTask> WaitForTaskAsync(long id, int seconds = 120, params TaskState[] states)
    {
        states = states.Length > 0 ? states : [TaskState.Closed, TaskState.Failed, TaskState.Canceled];
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var row = TaskRow(id);
            if (states.Contains(row.State))
            {
                return row;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"task {id} is still {row.State} after {seconds} s; log:\n{string.Join("\n", Logs.Lines.TakeLast(40))}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Waits for <paramref name="condition"/>, polling; fails after <paramref name="seconds"/>.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what}: not within {seconds} s; log:\n{string.Join("\n", Logs.Lines.TakeLast(40))}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The task's output files on the hub (<c>listTaskOutput</c>'s directory).</summary>
    public string TaskDirectory(long id) => Path.Combine(Hub.WorkDir, "tasks", (id % 10000).ToString(CultureInfo.InvariantCulture), id.ToString(CultureInfo.InvariantCulture));

    public IReadOnlyList<string> TaskOutputs(long id) =>
        System.IO.Directory.Exists(TaskDirectory(id))
            ? [.. System.IO.Directory.GetFiles(TaskDirectory(id)).Select(Path.GetFileName).OfType<string>().Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal)]
            : [];

    public string TaskOutput(long id, string name) => File.ReadAllText(Path.Combine(TaskDirectory(id), name));

    public JsonObject TaskJson(long id, string name) => JsonNode.Parse(TaskOutput(id, name))!.AsObject();

    /// <summary>GET on the service's API.</summary>
    public async Task<JsonObject> GetJsonAsync(string path) => (await Api.GetFromJsonAsync<JsonObject>(path))!;

    public async ValueTask DisposeAsync()
    {
        await StopServiceAsync();
        await Simulated.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
