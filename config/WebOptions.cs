using System.Net;
using KojiComposer.Config.Binding;

namespace KojiComposer.Config;

/// <summary>The <c>[web]</c> section: where the scheduler's web front (API, pages, dashboard, metrics, health)
/// listens and who may use it. Access control beyond these settings is not enforced yet: without
/// <c>allow_remote</c> the service only listens on loopback.</summary>
public sealed record WebOptions
{
    /// <summary>Default of <c>listen</c>.</summary>
    public const string DefaultListenUrl = "http://127.0.0.1:8700";

    /// <summary><c>listen</c>: URLs to listen on (<c>http://address:port</c>, <c>*</c> for every address; port 0
    /// picks a free one); default <see cref="DefaultListenUrl"/>.</summary>
    public IReadOnlyList<string> Listen { get; init; } = [DefaultListenUrl];

    /// <summary><c>public_url</c>: the URL users reach the service at (links, the Koji task result); default unset,
    /// meaning the first of <see cref="Listen"/>.</summary>
    public Uri? PublicUrl { get; init; }

    /// <summary><c>koji_web_url</c>: the Koji web UI, for task and build links; default unset (then
    /// <c>hub.weburl</c> if set).</summary>
    public Uri? KojiWebUrl { get; init; }

    /// <summary><c>allow_remote</c>: listen on addresses other than loopback; then <see cref="Users"/> or
    /// <see cref="Negotiate"/> must say who may come in. Default false.</summary>
    public bool AllowRemote { get; init; }

    /// <summary><c>keytab</c>: the HTTP service keytab for <see cref="Negotiate"/> logins; default unset (the
    /// system's, <c>KRB5_KTNAME</c>).</summary>
    public string? Keytab { get; init; }

    /// <summary><c>[[web.users]]</c>: users with passwords.</summary>
    public IReadOnlyList<WebUserOptions> Users { get; init; } = [];

    /// <summary><c>local_role</c>: the role of unauthenticated requests from this machine (loopback), or null
    /// (<c>"none"</c>) to make them log in like remote ones — needed behind a reverse proxy on the same host,
    /// through which every remote user would look local. Default: operator.</summary>
    public WebRole? LocalRole { get; init; } = WebRole.Operator;

    /// <summary><c>[[web.negotiate]]</c>: Kerberos principals.</summary>
    public IReadOnlyList<WebNegotiateOptions> Negotiate { get; init; } = [];

    internal static WebOptions Bind(ConfigSection section)
    {
        var userSections = section.TableArray("users");
        var options = new WebOptions
        {
            Listen = BindListen(section),
            PublicUrl = section.Url("public_url"),
            KojiWebUrl = section.Url("koji_web_url"),
            AllowRemote = section.Boolean("allow_remote", false),
            LocalRole = section.Choice<WebRole?>("local_role", WebRole.Operator, [("operator", WebRole.Operator), ("read-only", WebRole.ReadOnly), ("none", null)]),
            Keytab = section.ReadableFile("keytab", "keytab"),
            Users = [.. userSections.Select(WebUserOptions.Bind)],
            Negotiate = [.. section.TableArray("negotiate").Select(WebNegotiateOptions.Bind)],
        };
        CheckUniqueUsers(userSections, options.Users);
        CheckAccess(section, options);
        return options;
    }

    /// <summary>True when <paramref name="url"/> (a valid <c>listen</c> entry) only accepts local connections.</summary>
    public static bool IsLoopback(string url)
    {
        var host = ListenHost(url);
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }

    private static IReadOnlyList<string> BindListen(ConfigSection section)
    {
        if (section.StringList("listen") is not { } urls)
        {
            return [DefaultListenUrl];
        }

        if (urls.Count == 0)
        {
            section.Error("listen", "must name at least one URL, e.g. \"http://127.0.0.1:8700\"");
        }

        foreach (var url in urls)
        {
            if (!IsListenUrl(url))
            {
                section.Error("listen", $"must be http://address:port or https://address:port (address \"*\" for all), got {ConfigText.Quote(url)}");
            }
        }

        return urls;
    }

    // Kestrel's forms: a scheme, an address (or * / + for all), an explicit port, nothing after it.
    private static bool IsListenUrl(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0 || url[..schemeEnd] is not ("http" or "https"))
        {
            return false;
        }

        var host = ListenHost(url);
        var probe = host is "*" or "+" ? url.Replace($"://{host}:", "://0.0.0.0:", StringComparison.Ordinal) : url;
        return Uri.TryCreate(probe, UriKind.Absolute, out var parsed)
            && parsed.Host.Length > 0
            && parsed.AbsolutePath == "/"
            && parsed.Query.Length == 0
            && parsed.UserInfo.Length == 0
            && probe.TrimEnd('/').EndsWith($":{parsed.Port}", StringComparison.Ordinal);
    }

    private static string ListenHost(string url)
    {
        var rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var end = rest.StartsWith('[') ? rest.IndexOf(']', StringComparison.Ordinal) + 1 : rest.IndexOf(':', StringComparison.Ordinal);
        return end <= 0 ? rest.TrimEnd('/') : rest[..end];
    }

    private static void CheckUniqueUsers(IReadOnlyList<ConfigSection> items, IReadOnlyList<WebUserOptions> users)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < users.Count; i++)
        {
            if (users[i].Name.Length > 0 && !seen.Add(users[i].Name))
            {
                items[i].Error("name", $"user {ConfigText.Quote(users[i].Name)} is listed twice");
            }
        }
    }

    private static void CheckAccess(ConfigSection section, WebOptions options)
    {
        // Until the web front enforces logins, loopback is the only protection; listening further must be asked for.
        var remote = options.Listen.FirstOrDefault(url => IsListenUrl(url) && !IsLoopback(url));
        if (remote is not null && !options.AllowRemote)
        {
            section.Error("listen", $"{ConfigText.Quote(remote)} accepts connections from other machines; set {section.KeyPath("allow_remote")} = true and configure [[{section.KeyPath("users")}]] or [[{section.KeyPath("negotiate")}]]");
        }

        if (options.AllowRemote && options.Users.Count == 0 && options.Negotiate.Count == 0)
        {
            section.Error("allow_remote", $"remote access needs someone to let in: add [[{section.KeyPath("users")}]] or [[{section.KeyPath("negotiate")}]] entries");
        }
    }
}
