using KojiComposer.Config;
using KojiComposer.HubBridge;
using KojiComposer.HubBridge.Authentication;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubBridge.Transport;

namespace KojiComposer.Cli.Doctor;

/// <summary>
/// Check 4, <c>hub …</c>: each hub (the profile's, the service's) answers anonymously; the profile's identity logs
/// in; the host asks for the exclusive session without force (and releases it at once), the host is known to the hub,
/// enabled and in channel <c>image</c>; the content-generator user logs in.
/// </summary>
internal static class HubCheck
{
    public const string ExclusiveSession = "hub exclusive session";
    public const string HostCheck = "hub host";
    public const string ContentGenerator = "hub content generator";

    /// <summary>koji's channel for image tasks; <c>osbuildImage</c> tasks are created in it (osbuildimage-task.md §1).</summary>
    public const string ImageChannel = "image";

    public static async Task RunAsync(DoctorRun run, CancellationToken cancellationToken)
    {
        var profileHub = run.Profile?.Server is not null ? Bounded(run.Context.HubOptions) : null;
        var serviceHub = run.Hub is { } configured ? Bounded(configured.Hub) : null;
        var same = profileHub is not null && serviceHub is not null && profileHub.Url == serviceHub.Url;
        if (profileHub is not null)
        {
            await ReachableAsync(run, serviceHub is null || same ? "hub" : $"hub ({run.ProfileLabel})", profileHub, cancellationToken).ConfigureAwait(false);
        }

        if (serviceHub is not null && !same)
        {
            await ReachableAsync(run, profileHub is null ? "hub" : "hub (service)", serviceHub, cancellationToken).ConfigureAwait(false);
        }

        if (profileHub is not null)
        {
            run.UseProfileKerberos();
            await LoginAsync(run, $"hub login ({run.ProfileLabel})", profileHub, run.Context.Identity, KerberosCheck.Profile(run),
                $"a Koji admin adds the user: koji add-user NAME --principal {run.Context.Identity.Principal ?? "PRINCIPAL"}", cancellationToken).ConfigureAwait(false);
        }

        if (serviceHub is null || run.Hub is not { } hub || run.Options is not { } options)
        {
            return;
        }

        run.UseServiceKerberos();
        string? hostName = null;
        if (options.Service.Runs(ServiceRole.HubBridge) || options.Service.Runs(ServiceRole.Scheduler))
        {
            hostName = await ExclusiveAsync(run, serviceHub, hub.Host, cancellationToken).ConfigureAwait(false);
            await HostAsync(run, serviceHub, hub.Host, hostName, cancellationToken).ConfigureAwait(false);
        }

        await LoginAsync(run, ContentGenerator, serviceHub, hub.ContentGenerator, KerberosCheck.ContentGenerator,
            $"a Koji admin adds the user and grants it the content generator: koji add-user NAME --principal {hub.ContentGenerator.Principal ?? "PRINCIPAL"}; koji grant-cg-access NAME {hub.ContentGeneratorName}",
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How long one hub call of doctor may wait for its answer.</summary>
    internal static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The doctor must answer promptly: two quick attempts, each of at most <see cref="RequestTimeout"/>,
    /// so a hub that takes connections and never answers costs 20 s, not the minutes of the profile's retries.</summary>
    internal static KojiHubOptions Bounded(KojiHubOptions hub) => hub with
    {
        RequestTimeout = Min(hub.RequestTimeout, RequestTimeout),
        Retry = hub.Retry with
        {
            Attempts = Math.Min(hub.Retry.Attempts, 2),
            MaxDelay = Min(hub.Retry.MaxDelay, TimeSpan.FromSeconds(2)),
            ServerOfflineWait = Min(hub.Retry.ServerOfflineWait, TimeSpan.FromSeconds(2)),
        },
    };

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static async Task ReachableAsync(DoctorRun run, string check, KojiHubOptions hub, CancellationToken cancellationToken)
    {
        try
        {
            using var connection = new KojiHubConnection(hub);
            string version;
            try
            {
                version = await connection.GetKojiVersionAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (KojiGenericErrorFault fault) when (fault.FaultString.StartsWith("Invalid method", StringComparison.Ordinal))
            {
                version = connection.HubVersion ?? "older than 1.23";
            }

            var api = await connection.GetApiVersionAsync(cancellationToken).ConfigureAwait(false);
            run.HubsUp.Add(hub.Url);
            await run.AddAsync(CheckResult.Ok(check, $"{DoctorRun.Show(hub.Url)} answers: Koji {version}, API version {api}")).ConfigureAwait(false);
        }
        catch (KojiTransportException e)
        {
            await run.AddAsync(CheckResult.Fail(check, e.Message, "check the hub's URL (server in the profile, [hub] url in the service config) and that the hub is up")).ConfigureAwait(false);
        }
        catch (KojiException e)
        {
            await run.AddAsync(CheckResult.Fail(check, e.Message, $"is {DoctorRun.Show(hub.Url)} the hub's XML-RPC endpoint (it ends in /kojihub)?")).ConfigureAwait(false);
        }
    }

    private static async Task LoginAsync(DoctorRun run, string check, KojiHubOptions hub, KerberosIdentity identity, string kerberosCheck, string unknownUserFix, CancellationToken cancellationToken)
    {
        if (await NotReadyAsync(run, check, hub, kerberosCheck).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            await using var session = await KojiSession.LoginAsync(hub, identity, cancellationToken: cancellationToken).ConfigureAwait(false);
            var user = await session.GetLoggedInUserAsync(cancellationToken).ConfigureAwait(false);
            await run.AddAsync(CheckResult.Ok(check, $"logged in as {user?.Name ?? "(the hub does not say)"} ({identity.Principal ?? user?.KrbPrincipal ?? "the ambient credential cache"})")).ConfigureAwait(false);
        }
        catch (KojiAuthErrorFault e) when (e is not KojiAuthLockErrorFault)
        {
            await run.AddAsync(CheckResult.Fail(check, e.Message, unknownUserFix)).ConfigureAwait(false);
        }
        catch (KojiException e)
        {
            await run.AddAsync(Failed(check, e)).ConfigureAwait(false);
        }
    }

    /// <summary>exclusiveSession without force: the hub refuses it (AuthLockError) while another session of the host
    /// holds it, which is what a running kojicomposerd does. Forcing it would close the service's session.</summary>
    private static async Task<string?> ExclusiveAsync(DoctorRun run, KojiHubOptions hub, KerberosIdentity host, CancellationToken cancellationToken)
    {
        if (await NotReadyAsync(run, ExclusiveSession, hub, KerberosCheck.Host).ConfigureAwait(false))
        {
            return null;
        }

        try
        {
            await using var session = await KojiSession.LoginAsync(hub, host, new KojiSessionOptions { Exclusive = true }, cancellationToken: cancellationToken).ConfigureAwait(false);
            var user = await session.GetLoggedInUserAsync(cancellationToken).ConfigureAwait(false);
            await session.LogoutAsync(cancellationToken).ConfigureAwait(false);
            await run.AddAsync(CheckResult.Ok(ExclusiveSession, $"{user?.Name ?? host.ToString()} got it and released it: no kojicomposerd holds it right now")).ConfigureAwait(false);
            return user?.Name;
        }
        catch (KojiAuthLockErrorFault)
        {
            await run.AddAsync(CheckResult.Warn(ExclusiveSession,
                "held by another session — the running kojicomposerd holds it (fine) or a stale session",
                "nothing while kojicomposerd runs; if it does not, start it: its hub-bridge role takes a stale session over (exclusiveSession with force)")).ConfigureAwait(false);
        }
        catch (KojiAuthErrorFault e)
        {
            await run.AddAsync(CheckResult.Fail(ExclusiveSession, e.Message, $"a Koji admin adds the host: koji add-host NAME ARCH... (its principal must be {host.Principal ?? "the configured one"})")).ConfigureAwait(false);
        }
        catch (KojiException e)
        {
            await run.AddAsync(Failed(ExclusiveSession, e)).ConfigureAwait(false);
        }

        return null;
    }

    private static async Task HostAsync(DoctorRun run, KojiHubOptions hub, KerberosIdentity host, string? hostName, CancellationToken cancellationToken)
    {
        if (!run.HubsUp.Contains(hub.Url))
        {
            await run.AddAsync(CheckResult.Skip(HostCheck, $"{DoctorRun.Show(hub.Url)} does not answer (see above)")).ConfigureAwait(false);
            return;
        }

        try
        {
            using var connection = new KojiHubConnection(hub);
            if (hostName is null)
            {
                if (host.Principal is null)
                {
                    await run.AddAsync(CheckResult.Skip(HostCheck, "the host logs in with the ambient credential cache, so its name is not known here")).ConfigureAwait(false);
                    return;
                }

                var user = await connection.GetUserAsync(host.Principal, cancellationToken).ConfigureAwait(false);
                if (user is null)
                {
                    await run.AddAsync(CheckResult.Fail(HostCheck, $"the hub has no user with principal {host.Principal}",
                        $"a Koji admin adds the host: koji add-host NAME ARCH... with principal {host.Principal} (or correct [hub.host] principal)")).ConfigureAwait(false);
                    return;
                }

                if (!user.IsHost)
                {
                    await run.AddAsync(CheckResult.Fail(HostCheck, $"{host.Principal} is the hub's user {user.Name}, not a build host",
                        "log in as a build host's principal (compile/<fqdn>@REALM; koji add-host makes one) in [hub.host]")).ConfigureAwait(false);
                    return;
                }

                hostName = user.Name;
            }

            var info = await HubHostReads.GetHostAsync(connection, hostName, cancellationToken).ConfigureAwait(false);
            if (info is null)
            {
                await run.AddAsync(CheckResult.Fail(HostCheck, $"the hub has no build host {hostName}", $"a Koji admin adds it: koji add-host {hostName} ARCH...")).ConfigureAwait(false);
                return;
            }

            var channels = await HubHostReads.ListChannelsAsync(connection, info.Id, cancellationToken).ConfigureAwait(false);
            var detail = $"{info.Name} (id {info.Id}): {(info.Enabled ? "enabled" : "disabled")}, arches {info.Arches}, channels {string.Join(", ", channels)}";
            if (!channels.Contains(ImageChannel, StringComparer.Ordinal))
            {
                await run.AddAsync(CheckResult.Fail(HostCheck, detail + $"; not in channel {ImageChannel}, where Koji puts osbuildImage tasks",
                    $"a Koji admin adds it: koji add-host-to-channel {info.Name} {ImageChannel}")).ConfigureAwait(false);
            }
            else if (!info.Enabled)
            {
                await run.AddAsync(CheckResult.Fail(HostCheck, detail + "; the hub assigns no task to a disabled host", $"a Koji admin enables it: koji enable-host {info.Name}")).ConfigureAwait(false);
            }
            else
            {
                await run.AddAsync(CheckResult.Ok(HostCheck, detail)).ConfigureAwait(false);
            }
        }
        catch (KojiException e)
        {
            await run.AddAsync(Failed(HostCheck, e)).ConfigureAwait(false);
        }
    }

    /// <summary>Adds a skip and returns true when the hub did not answer or the identity has no ticket.</summary>
    private static async Task<bool> NotReadyAsync(DoctorRun run, string check, KojiHubOptions hub, string kerberosCheck)
    {
        if (!run.HubsUp.Contains(hub.Url))
        {
            await run.AddAsync(CheckResult.Skip(check, $"{DoctorRun.Show(hub.Url)} does not answer (see above)")).ConfigureAwait(false);
            return true;
        }

        if (!run.KerberosOk.Contains(kerberosCheck))
        {
            await run.AddAsync(CheckResult.Skip(check, $"needs a Kerberos ticket ({kerberosCheck} above)")).ConfigureAwait(false);
            return true;
        }

        return false;
    }

    private static CheckResult Failed(string check, KojiException e) => e switch
    {
        KerberosException => CheckResult.Fail(check, e.Message, "check krb5.conf and the hub's HTTP service principal; the kerberos checks above say more"),
        KojiTransportException => CheckResult.Fail(check, e.Message, "the hub stopped answering: check that it is up, then run doctor again"),
        _ => CheckResult.Fail(check, e.Message, "see the hub's message; ask the Koji admins if it names a permission or a policy"),
    };
}
