using KojiComposer.HubBridge.Authentication;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubBridge.Transport;
using KojiComposer.HubSimulator;
using KojiComposer.HubSimulator.State;


namespace KojiComposer.Testing.Hub;

/// <summary>
/// A hub simulator seeded like a small Koji site with the test realm's principals: user <c>releng</c> (permission
/// <c>image</c>), content-generator user <c>osbuild-cg</c> (access to CG <c>osbuild</c>), builder hosts
/// <c>builder1.koji.test</c> and <c>builder2.koji.test</c> in channel <c>image</c>. <c>stranger</c> has a keytab but
/// no Koji user. Clients log in over real Kerberos against the test stack's KDC.
/// </summary>
public sealed class SimulatedHub : IAsyncDisposable
{
    private SimulatedHub(HubSimulator.HubSimulator hub)
    {
        Hub = hub;
    }

    public HubSimulator.HubSimulator Hub { get; }

    public Uri Url => Hub.Url;

    public SimUser Releng { get; private set; } = null!;

    public SimUser ContentGenerator { get; private set; } = null!;

    public SimHost Builder1 { get; private set; } = null!;

    public SimHost Builder2 { get; private set; } = null!;

    /// <summary>Hub options for clients: fast retries so failure tests do not wait.</summary>
    public KojiHubOptions ClientOptions() => new()
    {
        Url = Hub.Url,
        RequestTimeout = TimeSpan.FromSeconds(60),
        Retry = new KojiRetryOptions
        {
            Attempts = 5,
            InitialDelay = TimeSpan.FromMilliseconds(10),
            MaxDelay = TimeSpan.FromMilliseconds(100),
            ServerOfflineWait = TimeSpan.FromMilliseconds(50),
        },
    };

    public static KerberosIdentity HostIdentity => KerberosIdentity.FromKeytab(TestStack.HostPrincipal, TestStack.Keytab("builder1"));

    public static KerberosIdentity SecondHostIdentity => KerberosIdentity.FromKeytab(TestStack.SecondHostPrincipal, TestStack.Keytab("builder2"));

    public static KerberosIdentity UserIdentity => KerberosIdentity.FromKeytab(TestStack.UserPrincipal, TestStack.Keytab("releng"));

    public static KerberosIdentity ContentGeneratorIdentity => KerberosIdentity.FromKeytab(TestStack.ContentGeneratorPrincipal, TestStack.Keytab("osbuild-cg"));

    public static KerberosIdentity StrangerIdentity => KerberosIdentity.FromKeytab(TestStack.StrangerPrincipal, TestStack.Keytab("stranger"));

    public static async Task<SimulatedHub> StartAsync(HubSimulatorOptions? options = null)
    {
        _ = TestStack.Realm; // fails clearly when the stack is not running
        var hub = await HubSimulator.HubSimulator.StartAsync(options ?? new HubSimulatorOptions()).ConfigureAwait(false);
        var simulated = new SimulatedHub(hub);
        lock (hub.State.Sync)
        {
            simulated.Releng = hub.State.AddUser("releng", TestStack.UserPrincipal);
            simulated.Releng.Permissions.Add("image");
            simulated.ContentGenerator = hub.State.AddUser("osbuild-cg", TestStack.ContentGeneratorPrincipal);
            simulated.ContentGenerator.ContentGenerators.Add("osbuild");
            simulated.Builder1 = hub.State.AddHost("builder1.koji.test", TestStack.HostPrincipal, ["x86_64", "aarch64"], "image");
            simulated.Builder2 = hub.State.AddHost("builder2.koji.test", TestStack.SecondHostPrincipal, ["x86_64"], "image");
        }

        return simulated;
    }

    /// <summary>Logs in to this hub.</summary>
    public Task<KojiSession> LoginAsync(KerberosIdentity identity, bool exclusive = false, bool force = false, KojiHubOptions? options = null) =>
        KojiSession.LoginAsync(options ?? ClientOptions(), identity, new KojiSessionOptions { Exclusive = exclusive, ForceExclusive = force });

    public ValueTask DisposeAsync() => Hub.DisposeAsync();
}
