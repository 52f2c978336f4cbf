using KojiComposer.Config;
using KojiComposer.HubBridge.Authentication;

namespace KojiComposer.Cli.Doctor;

/// <summary>
/// Check 3, <c>kerberos (…)</c>: for the profile's identity and the service's host and content-generator
/// identities, the keytab is readable and holds the principal (else which principals it holds), and a ticket for
/// the hub's <c>HTTP/&lt;host&gt;</c> can be had from the KDC — the first half of a login, without the hub.
/// </summary>
internal static class KerberosCheck
{
    public const string Host = "kerberos (host)";
    public const string ContentGenerator = "kerberos (content generator)";

    public static string Profile(DoctorRun run) => $"kerberos ({run.ProfileLabel})";

    public static async Task RunAsync(DoctorRun run, CancellationToken cancellationToken)
    {
        if (run.Profile is { } profile)
        {
            run.UseProfileKerberos();
            await CheckAsync(run, Profile(run), run.Context.Identity, profile.Server, $"principal and keytab in [{profile.Name}] of cli.toml", cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await run.AddAsync(CheckResult.Skip(Profile(run), "needs a valid cli profile (see above)")).ConfigureAwait(false);
        }

        if (run.Options is not { } options || run.Hub is not { } hub)
        {
            return;
        }

        run.UseServiceKerberos();
        if (options.Service.Runs(ServiceRole.HubBridge) || options.Service.Runs(ServiceRole.Scheduler))
        {
            await CheckAsync(run, Host, hub.Host, hub.Hub.Url, $"[hub.host] principal and keytab in {run.ConfigPath}", cancellationToken).ConfigureAwait(false);
        }

        await CheckAsync(run, ContentGenerator, hub.ContentGenerator, hub.Hub.Url, $"[hub.content_generator] principal and keytab in {run.ConfigPath}", cancellationToken).ConfigureAwait(false);
    }

    private static async Task CheckAsync(DoctorRun run, string check, KerberosIdentity identity, Uri? hub, string where, CancellationToken cancellationToken)
    {
        if (identity.KeytabPath is not null)
        {
            string? problem;
            try
            {
                problem = KeytabCheck.Problem(identity);
            }
            catch (KerberosException e)
            {
                await run.AddAsync(CheckResult.Fail(check, e.Message, $"check the keytab's path ({where}) and that this user may read it")).ConfigureAwait(false);
                return;
            }

            if (problem is not null)
            {
                var fix = identity.Principal is { } principal
                    ? $"use a keytab with {principal}'s keys (kadmin: ktadd -k FILE {principal}; FreeIPA: ipa-getkeytab -p {principal} -k FILE), or name a principal it holds ({where})"
                    : $"name the principal to log in as ({where})";
                await run.AddAsync(CheckResult.Fail(check, problem, fix)).ConfigureAwait(false);
                return;
            }
        }

        if (hub is null)
        {
            await run.AddAsync(CheckResult.Skip(check, $"{identity}: no hub URL, so no service ticket to ask for")).ConfigureAwait(false);
            return;
        }

        var spn = "HTTP/" + hub.IdnHost;
        try
        {
            // The KDC exchange blocks: keep it off the caller's thread.
            await Task.Run(() => HttpNegotiation.Start(hub, identity).Dispose(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or PlatformNotSupportedException)
        {
            await run.AddAsync(CheckResult.Fail(check, $"Kerberos (GSSAPI) is not available to this process: {e.Message}",
                "install MIT Kerberos's GSSAPI library (Debian: libgssapi-krb5-2; Fedora/RHEL: krb5-libs)")).ConfigureAwait(false);
            return;
        }
        catch (KerberosException e)
        {
            var fix = identity.KeytabPath is null
                ? $"kinit{(identity.Principal is { } p ? " " + p : "")}, or configure a principal and keytab ({where})"
                : $"check that krb5.conf names the realm's KDC, that {spn} exists there and that the keytab's keys are current (kvno {identity.Principal ?? "PRINCIPAL"})";
            await run.AddAsync(CheckResult.Fail(check, e.Message, fix)).ConfigureAwait(false);
            return;
        }

        run.KerberosOk.Add(check);
        await run.AddAsync(CheckResult.Ok(check, $"{identity}: ticket for {spn} obtained")).ConfigureAwait(false);
    }
}
