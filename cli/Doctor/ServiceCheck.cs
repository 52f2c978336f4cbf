using System.Text.Json.Nodes;
using KojiComposer.Cli.Service;
using KojiComposer.Config;
using KojiComposer.HubBridge.Authentication;

namespace KojiComposer.Cli.Doctor;

/// <summary>
/// Check 5, <c>service …</c>: the profile's KojiComposer service answers <c>/health</c>, and each of its checks
/// (<c>store</c>, <c>hub</c>, <c>builders</c>: which arches are served, with the osbuild and image-builder each builder
/// advertised) is reported as its own line; <c>degraded</c> is a warning, <c>failing</c> a failure.
/// </summary>
internal static class ServiceCheck
{
    public const string Name = "service";

    /// <summary>How long <c>/health</c> may take to answer.</summary>
    internal static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(DoctorRun run, CancellationToken cancellationToken)
    {
        if (run.Profile is not { } profile)
        {
            await run.AddAsync(CheckResult.Skip(Name, "needs a valid cli profile (see above)")).ConfigureAwait(false);
            return;
        }

        if (profile.Service is not { } url)
        {
            await run.AddAsync(CheckResult.Warn(Name, $"[{profile.Name}] names no KojiComposer service; compose commands need one, and watch shows less without it",
                $"set service = \"https://kojicomposer.example.com\" in [{profile.Name}], or pass --server URL")).ConfigureAwait(false);
            return;
        }

        JsonObject health;
        var shown = DoctorRun.Show(url);
        run.UseProfileKerberos(); // Negotiate with the service is the profile's identity
        try
        {
            // Two quick attempts, each answered within RequestTimeout: a doctor that waits out a long backoff or a
            // minute-long request for a service that is down or stuck helps nobody.
            using var client = new ServiceClient(url, profile with { MaxRetries = Math.Min(profile.MaxRetries, 2) }, run.Context.Identity, run.Context.Console.Environment, timeout: RequestTimeout);
            health = await client.GetHealthAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ConfigurationException e)
        {
            // service_ca_bundle is no PEM, or basic without a readable password: what the compose commands would
            // stop at too.
            await run.AddAsync(CheckResult.Fail(Name, e.Message, $"correct the key named, in [{profile.Name}]")).ConfigureAwait(false);
            return;
        }
        catch (KerberosException e)
        {
            await run.AddAsync(CheckResult.Fail(Name, e.Message, $"kinit (or configure principal and keytab in [{profile.Name}]); the service wants Kerberos, or did not prove its identity")).ConfigureAwait(false);
            return;
        }
        catch (ServiceException e) when (e.Unreachable)
        {
            var fix = run.Options is null
                ? $"start kojicomposerd where it runs (systemctl start kojicomposerd), or correct service in [{profile.Name}] / --server"
                : $"start kojicomposerd (systemctl start kojicomposerd; journalctl -u kojicomposerd says why it stopped), or correct service in [{profile.Name}] / --server";
            await run.AddAsync(CheckResult.Fail(Name, e.Message, fix)).ConfigureAwait(false);
            return;
        }
        catch (ServiceException e)
        {
            await run.AddAsync(CheckResult.Fail(Name, e.Message, $"is {shown} a KojiComposer service? check service and service_auth in [{profile.Name}]")).ConfigureAwait(false);
            return;
        }

        run.ServiceReached = true;
        var overall = Text(health["status"]) ?? "unknown";
        await run.AddAsync(From(Name, overall, $"{shown} answers: /health {overall}", "see the checks below")).ConfigureAwait(false);
        if (health["checks"] is not JsonObject checks)
        {
            return;
        }

        foreach (var (name, value) in checks)
        {
            var status = Text(value?["status"]) ?? "unknown";
            var details = Text(value?["details"]) ?? status;
            if (name == "builders" && status == "ok" && details.StartsWith("no builder is running", StringComparison.Ordinal))
            {
                // Healthy for the service itself, but nothing gets built.
                status = "degraded";
            }

            await run.AddAsync(From($"service {name}", status, details, FixFor(name))).ConfigureAwait(false);
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static CheckResult From(string check, string status, string detail, string fix) => status switch
    {
        "ok" => CheckResult.Ok(check, detail),
        "degraded" => CheckResult.Warn(check, detail, fix),
        "unchecked" => CheckResult.Skip(check, detail),
        _ => CheckResult.Fail(check, detail, fix),
    };

    private static string FixFor(string check) => check switch
    {
        "store" => "see the service's log (journalctl -u kojicomposerd) and [store] of its config; doctor --config FILE on its machine checks the store directly",
        "hub" => "doctor --config FILE on the service's machine checks its hub identities one by one",
        "builders" => "start a builder for each architecture named (kojicomposerd with \"builder\" in service.roles and the arch in builder.arches)",
        _ => "see the service's log (journalctl -u kojicomposerd)",
    };
}
