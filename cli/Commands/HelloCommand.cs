using System.CommandLine;
using System.Text.Json;
using KojiComposer.Config;
using KojiComposer.HubBridge.Authentication;
using KojiComposer.HubBridge.Configuration;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubBridge.Transport;

namespace KojiComposer.Cli.Commands;

/// <summary>
/// <c>kojicomposer hello</c>, like <c>koji hello</c>: logs in with the configured principal over Kerberos (mutual
/// authentication required) and says who the hub says we are, the hub's version and how the session travels.
/// </summary>
public sealed class HelloCommand : BaseCommand
{
    private readonly Option<string?> _config = new("--config", "-c")
    {
        Description = "Log in with an identity of this service config (kojicomposerd's [hub] and [kerberos]) instead of the profile's",
    };

    private readonly Option<string> _as = new("--as")
    {
        Description = "With --config: which configured identity to log in as: host (the builder host) or content-generator",
        DefaultValueFactory = _ => "host",
    };

    private readonly Option<string?> _principal = new("--principal") { Description = "Kerberos principal to log in as, instead of the configured one" };

    private readonly Option<string?> _keytab = new("--keytab") { Description = "Keytab holding the principal's keys (default: the ambient credential cache)" };

    public HelloCommand(CliConsole console)
        : base(console, "hello", "Log in to the Koji hub and show who it says we are (like koji hello)")
    {
        _as.AcceptOnlyFromAmong("host", "content-generator");
        Add(_config, _as, _principal, _keytab);
    }

    protected override async Task<int> ExecuteAsync(CommandContext context, ParseResult parse, CancellationToken cancellationToken)
    {
        var (hub, identity) = Resolve(context, parse);
        await using var session = await KojiSession.LoginAsync(hub, identity, cancellationToken: cancellationToken).ConfigureAwait(false);
        var user = await session.GetLoggedInUserAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new KojiProtocolException($"koji hub {hub.Url}: getLoggedInUser: the hub does not know us after a successful login");
        var version = await HubVersionAsync(session, cancellationToken).ConfigureAwait(false);
        var principal = user.KrbPrincipal ?? identity.Principal ?? "(unknown)";
        if (context.Json)
        {
            var data = new Dictionary<string, object?>
            {
                ["hub"] = hub.Url.AbsoluteUri,
                ["hub_version"] = version,
                ["user"] = user.Name,
                ["user_id"] = user.Id,
                ["user_type"] = user.IsHost ? "host" : "user",
                ["principal"] = principal,
                ["session_id"] = session.SessionId,
                ["header_sessions"] = session.UsesHeaders,
                ["hub_offers_header_auth"] = session.HubOffersHeaderAuth,
                ["mutual_auth"] = true,
            };
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(data)).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        await Console.Out.WriteLineAsync($"Hello, {user.Name}! You are logged in to koji hub {hub.Url} (version {version ?? "unknown"}).").ConfigureAwait(false);
        await Console.Out.WriteLineAsync($"  principal:  {principal}, hub identity verified ({session.HubServicePrincipal}, mutual authentication)").ConfigureAwait(false);
        await Console.Out.WriteLineAsync($"  user:       {user.Name} (id {user.Id}, {(user.IsHost ? "builder host" : "user")})").ConfigureAwait(false);
        await Console.Out.WriteLineAsync($"  session:    {session.SessionId}, sent in {(session.UsesHeaders ? "Koji-Session-* headers" : "the URL query (the hub does not offer header sessions)")}").ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private (KojiHubOptions Hub, KerberosIdentity Identity) Resolve(CommandContext context, ParseResult parse)
    {
        var path = parse.GetValue(_config);
        var principal = parse.GetValue(_principal);
        var keytab = parse.GetValue(_keytab);
        KojiHubOptions hub;
        KerberosIdentity identity;
        if (path is null)
        {
            hub = context.HubOptions;
            identity = context.Identity;
        }
        else
        {
            var options = KojiComposerConfiguration.Load(path);

            // The service's krb5.conf, but not its credential_cache_dir: that directory is the running
            // kojicomposerd's, and a login from here would overwrite its caches and its merged client keytab (the
            // service's other identity would lose its keys), and our clean-up at exit would delete it.
            if (options.Kerberos.ConfigFile is { } krb5)
            {
                KerberosCredentials.UseConfigFile(krb5);
            }

            var configured = HubConfiguration.From(options);
            var hubUrl = parse.GetValue(GlobalOptions.Hub);
            hub = hubUrl is null ? configured.Hub : configured.Hub with { Url = ParseUrl(hubUrl) };
            identity = parse.GetValue(_as) == "content-generator" ? configured.ContentGenerator : configured.Host;
        }

        if (principal is not null || keytab is not null)
        {
            identity = new KerberosIdentity(principal ?? identity.Principal, keytab);
        }

        return (hub, identity);
    }

    private static Uri ParseUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw new ArgumentException($"--hub: must be an absolute http or https URL, got \"{text}\"");

    private static async Task<string?> HubVersionAsync(KojiSession session, CancellationToken cancellationToken)
    {
        try
        {
            return await session.GetKojiVersionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (KojiGenericErrorFault fault) when (fault.FaultString.StartsWith("Invalid method", StringComparison.Ordinal))
        {
            // Hubs before getKojiVersion existed still send the Koji-Version header.
            return session.HubVersion;
        }
    }
}
