using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator;
using KojiComposer.HubSimulator.State;
using KojiComposer.Testing.Hub;
using KojiComposer.Testing.Time;

namespace KojiComposer.HubBridge.Tests.Simulator;

/// <summary>
/// A simulated Koji site for the simulator tests: the <see cref="SimulatedHub"/> users and hosts, a manual clock,
/// build tag <c>f42-build</c> (arches x86_64 aarch64, a READY repo) under <c>f42-base</c>, destination tag
/// <c>f42</c> and target <c>f42-candidate</c>. Every client is our real <see cref="KojiSession"/> over Kerberos.
/// </summary>
internal sealed class SimulatorSite : IAsyncDisposable
{
    private SimulatorSite(SimulatedHub simulated, ManualTimeProvider clock)
    {
        Simulated = simulated;
        Clock = clock;
    }

    public SimulatedHub Simulated { get; }

    public HubSimulator.HubSimulator Hub => Simulated.Hub;

    public ManualTimeProvider Clock { get; }

    public SimTag BaseTag { get; private set; } = null!;

    public SimTag BuildTag { get; private set; } = null!;

    public SimTag DestTag { get; private set; } = null!;

    public SimTarget Target { get; private set; } = null!;

    public SimRepo Repo { get; private set; } = null!;

    public static async Task<SimulatorSite> StartAsync(HubSimulatorOptions? options = null)
    {
        var simulated = await SimulatedHub.StartAsync(options);
        var site = new SimulatorSite(simulated, new ManualTimeProvider());
        site.Hub.Time = site.Clock;
        site.Seed(state =>
        {
            site.BaseTag = state.AddTag("f42-base", "x86_64 aarch64", new XmlRpcStruct { ["mock.package_manager"] = "dnf" });
            site.BuildTag = state.AddTag("f42-build", parent: "f42-base", extra: new XmlRpcStruct { ["rpm.macro.dist"] = ".fc42" });
            site.DestTag = state.AddTag("f42");
            site.Target = state.AddTarget("f42-candidate", "f42-build", "f42");
            site.Repo = state.AddRepo("f42-build", site.Clock.GetUtcNow());
        });
        return site;
    }

    /// <summary>Changes the hub's state directly, as an admin would.</summary>
    public void Seed(Action<HubState> seed) => Hub.Seed(seed);

    /// <summary>Reads the hub's state directly.</summary>
    public T Read<T>(Func<HubState, T> read) => Hub.Read(read);

    public SimTask TaskRow(long id) => Read(s => s.Tasks[id]);

    public SimBuild BuildRow(long id) => Read(s => s.Builds[id]);

    /// <summary>builder1.koji.test, exclusive, as a builder host logs in.</summary>
    public Task<KojiSession> LoginHostAsync() => Simulated.LoginAsync(SimulatedHub.HostIdentity, exclusive: true);

    /// <summary>builder2.koji.test, exclusive.</summary>
    public Task<KojiSession> LoginSecondHostAsync() => Simulated.LoginAsync(SimulatedHub.SecondHostIdentity, exclusive: true);

    /// <summary>releng (permission image).</summary>
    public Task<KojiSession> LoginUserAsync() => Simulated.LoginAsync(SimulatedHub.UserIdentity);

    /// <summary>osbuild-cg (access to CG osbuild).</summary>
    public Task<KojiSession> LoginContentGeneratorAsync() => Simulated.LoginAsync(SimulatedHub.ContentGeneratorIdentity);

    /// <summary>
    /// <c>osbuildImage(name, version, distro, image_type, target, arches, opts=opts)</c>, with opts as a keyword, the
    /// way <c>koji osbuild-image</c> sends it.
    /// </summary>
    public static async Task<long> SubmitAsync(
        KojiSession session, string name = "Fedora-Cloud", string version = "42", object? imageType = null,
        string target = "f42-candidate", object?[]? arches = null, XmlRpcStruct? opts = null)
    {
        var reply = await session.CallAsync(KojiCall.Write(
            "osbuildImage", name, version, "fedora-42", imageType ?? "qcow2", target, arches ?? ["x86_64"],
            KojiKeywordArguments.Of(("opts", opts ?? new XmlRpcStruct()))));
        return Convert.ToInt64(reply, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A host that checked in ready (the scheduler only assigns to ready hosts).</summary>
    public static Task CheckInAsync(KojiSession host) => host.UpdateHostAsync(0.0, ready: true, ["osbuildImage", "tagBuild"], maxJobs: 2);

    /// <summary>Submits a task as releng, lets builder1 take it and open it; returns the task id.</summary>
    public async Task<long> OpenTaskAsync(KojiSession host, KojiSession user)
    {
        await CheckInAsync(host);
        var id = await SubmitAsync(user);
        var assigned = Assert.Single(await host.GetAssignedTasksAsync());
        Assert.Equal(id, assigned.Id);
        Assert.NotNull(await host.OpenTaskAsync(id));
        return id;
    }

    /// <summary>An absolute path under the hub's <c>work/</c>.</summary>
    public string WorkPath(params string[] parts) => Path.Combine([Hub.WorkDir, .. parts]);

    public ValueTask DisposeAsync() => Simulated.DisposeAsync();
}
