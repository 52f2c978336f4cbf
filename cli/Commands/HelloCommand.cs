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
    private readonly Option<string> _config = new("--config", "-c")
    {
        Description = "Service config file to read [hub] and [kerberos] from",
        DefaultValueFactory = _ => KojiComposerConfiguration.DefaultPath,
    };

    private readonly Option<string?> _hub = new("--hub")
    {
        Description = "Hub XML-RPC URL, instead of hub.url (with no config file: log in from the ambient credential cache)",
    };

    private readonly Option<string> _as = new("--as")
    {
        Description = "Which configured identity to log in as: host (the builder host) or content-generator",
        DefaultValueFactory = _ => "host",
    };

    private readonly Option<string?> _principal = new("--principal") { Description = "Kerberos principal to log in as, instead of the configured one" };

    private readonly Option<string?> _keytab = new("--keytab") { Description = "Keytab holding the principal's keys (default: the ambient credential cache)" };

    private readonly Option<string> _format = new("--format")
    {
        Description = "Output format: text, or json (data only on stdout)",
        DefaultValueFactory = _ => "text",
    };

    public HelloCommand(CliConsole console)
        : base(console, "hello", "Log in to the Koji hub and show who it says we are")
    {
        _as.AcceptOnlyFromAmong("host", "content-generator");
        _format.AcceptOnlyFromAmong("text", "json");
        foreach (var option in new Option[] { _config, _hub, _as, _principal, _keytab, _format })
        {
            Command.Options.Add(option);
        }
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var (hub, identity) = Resolve(parse);
        await using var session = await KojiSession.LoginAsync(hub, identity, cancellationToken: cancellationToken).ConfigureAwait(false);
        var user = await session.GetLoggedInUserAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new KojiProtocolException($"koji hub {hub.Url}: getLoggedInUser: the hub does not know us after a successful login");
        var version = await HubVersionAsync(session, cancellationToken).ConfigureAwait(false);
        var principal = user.KrbPrincipal ?? identity.Principal ?? "(unknown)";
        if (parse.GetValue(_format) == "json")
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

    private (KojiHubOptions Hub, KerberosIdentity Identity) Resolve(ParseResult parse)
    {
        var path = parse.GetValue(_config)!;
        var hubUrl = parse.GetValue(_hub);
        var principal = parse.GetValue(_principal);
        var keytab = parse.GetValue(_keytab);
        KojiHubOptions hub;
        KerberosIdentity identity;
        if (!File.Exists(path) && hubUrl is not null)
        {
            hub = new KojiHubOptions { Url = ParseUrl(hubUrl) };
            identity = KerberosIdentity.Ambient;
        }
        else
        {
            var options = KojiComposerConfiguration.Load(path);
            HubConfiguration.ApplyKerberos(options.Kerberos);
            var configured = HubConfiguration.From(options);
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
