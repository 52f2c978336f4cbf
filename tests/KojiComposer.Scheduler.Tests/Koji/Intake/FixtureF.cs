using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator;
using KojiComposer.HubSimulator.State;
using KojiComposer.Scheduler.Koji.Intake;
using KojiComposer.Testing.Hub;

namespace KojiComposer.Scheduler.Tests.Koji.Intake;

/// <summary>
/// Fixture F of osbuildimage-task.md §7 in the hub simulator: target <c>fedora-candidate</c> → build tag 23
/// <c>fedora-build</c> (arches <c>x86_64 aarch64 s390x ppc64le</c>, READY repo 20201015), destination tag 42
/// <c>fedora-dest</c>; task 12345; topurl <c>https://koji.example.com/kojifiles</c>. The caller is builder1's
/// exclusive host session, as the host loop has it.
/// </summary>
internal sealed class FixtureF : IAsyncDisposable
{
    public const long TaskId = 12345;
    public const long BuildTagId = 23;
    public const long DestTagId = 42;
    public const long RepoId = 20201015;
    public const string Target = "fedora-candidate";

    public static readonly Uri TopUrl = new("https://koji.example.com/kojifiles");

    private FixtureF(SimulatedHub simulated, KojiSession host)
    {
        Simulated = simulated;
        Host = host;
    }

    public SimulatedHub Simulated { get; }

    public HubSimulator.HubSimulator Hub => Simulated.Hub;

    public KojiSession Host { get; }

    /// <summary>The hub URL the compose request names (<c>koji.server</c>).</summary>
    public string HubUrl => Host.HubUrl.AbsoluteUri;

    public static async Task<FixtureF> StartAsync()
    {
        var simulated = await SimulatedHub.StartAsync();
        lock (simulated.Hub.State.Sync)
        {
            var state = simulated.Hub.State;
            state.Tags[BuildTagId] = new SimTag { Id = BuildTagId, Name = "fedora-build", Arches = "x86_64 aarch64 s390x ppc64le", CreateEvent = state.NextEvent() };
            state.Tags[DestTagId] = new SimTag { Id = DestTagId, Name = "fedora-dest", CreateEvent = state.NextEvent() };
            state.Targets[7] = new SimTarget(7, Target, BuildTagId, DestTagId);
            var now = DateTimeOffset.UtcNow;
            state.Repos[RepoId] = new SimRepo { Id = RepoId, TagId = BuildTagId, CreateEvent = state.NextEvent(), CreateTime = now, StateTime = now };
        }

        var host = await simulated.LoginAsync(SimulatedHub.HostIdentity, exclusive: true);
        simulated.Hub.ClearCalls();
        return new FixtureF(simulated, host);
    }

    /// <summary>Changes the hub's state, as an admin would.</summary>
    public void Seed(Action<HubState> seed)
    {
        lock (Hub.State.Sync)
        {
            seed(Hub.State);
        }
    }

    /// <summary>Parses <c>[name, version, distro, image_type, "fedora-candidate", arches, opts]</c> and resolves
    /// it as task 12345.</summary>
    public Task<OsbuildImagePlan> ResolveAsync(string imageType, string[] arches, XmlRpcStruct? opts = null, string name = "Fedora-Cloud", string version = "39", string distro = "fedora-39", bool withTopUrl = true) =>
        OsbuildImagePlan.ResolveAsync(Host, TaskId, OsbuildImageArguments.Parse(Request(imageType, arches, opts, name, version, distro)), withTopUrl ? TopUrl : null, CancellationToken.None);

    public static object?[] Request(string imageType, string[] arches, XmlRpcStruct? opts = null, string name = "Fedora-Cloud", string version = "39", string distro = "fedora-39", string target = Target) =>
        [name, version, distro, imageType, target, arches.Cast<object?>().ToArray(), opts ?? new XmlRpcStruct()];

    /// <summary>The hub calls made since the fixture started, login excluded.</summary>
    public IReadOnlyList<RecordedCall> Calls => Hub.Calls;

    public string[] Methods => Calls.Select(c => c.Method).ToArray();

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Simulated.DisposeAsync();
    }
}
