using KojiComposer.Config.Binding;
using KojiComposer.Config.Toml;

namespace KojiComposer.Config.Cli;

/// <summary>
/// Reads <c>kojicomposer</c>'s profiles: <c>/etc/kojicomposer/cli.toml</c>, then the user's
/// <c>~/.config/kojicomposer/cli.toml</c> (<c>$XDG_CONFIG_HOME</c> respected), a later file overriding an earlier
/// one key by key within a profile, as koji merges <c>/etc/koji.conf</c> and <c>~/.koji/config</c>. Every top-level
/// table is a profile. Errors are the service config's: <c>file:line: key: problem</c>, all at once.
/// </summary>
public static class CliConfiguration
{
    /// <summary>The system-wide file.</summary>
    public const string SystemPath = "/etc/kojicomposer/cli.toml";

    /// <summary>The user's file for a home directory and an optional <c>XDG_CONFIG_HOME</c>.</summary>
    public static string UserPath(string? home, string? xdgConfigHome) =>
        Path.Combine(
            !string.IsNullOrEmpty(xdgConfigHome) ? xdgConfigHome : Path.Combine(home ?? "/", ".config"),
            "kojicomposer",
            "cli.toml");

    /// <summary>Reads the files that exist among <paramref name="paths"/> (in order; a missing file is skipped unless
    /// it is in <paramref name="required"/>) and returns every profile, merged.</summary>
    /// <exception cref="ConfigurationException">A file is unreadable or invalid; all problems are listed.</exception>
    public static IReadOnlyDictionary<string, CliProfile> Load(IReadOnlyList<string> paths, IReadOnlySet<string>? required = null)
    {
        var profiles = new Dictionary<string, CliProfile>(StringComparer.Ordinal);
        var errors = new List<ConfigurationError>();
        foreach (var path in paths)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException && required?.Contains(path) != true)
            {
                continue;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add(new ConfigurationError(path, null, "", $"cannot read config file: {FileProbe.Describe(e, path)}"));
                continue;
            }

            try
            {
                foreach (var (name, layer) in Parse(text, path))
                {
                    profiles[name] = profiles.TryGetValue(name, out var earlier) ? Merge(earlier, layer) : layer.Profile;
                }
            }
            catch (ConfigurationException e)
            {
                errors.AddRange(e.Errors);
            }
        }

        return errors.Count > 0 ? throw new ConfigurationException(errors) : profiles;
    }

    private sealed record Layer(CliProfile Profile, IReadOnlySet<string> Keys);

    private static IEnumerable<(string Name, Layer Layer)> Parse(string toml, string path)
    {
        var errors = new ConfigErrorList(path);
        var document = TomlDocumentReader.Read(toml, errors);
        errors.ThrowIfAny();
        var root = ConfigSection.Root(document!, errors);
        var layers = new List<(string, Layer)>();
        foreach (var name in root.TableNames())
        {
            var section = root.Section(name);
            var keys = Keys.Where(section.Has).ToHashSet(StringComparer.Ordinal);
            var (principal, keytab) = KerberosIdentityBinding.Read(section);
            var profile = new CliProfile
            {
                Name = name,
                Server = section.Url("server"),
                WebUrl = section.Url("weburl"),
                TopUrl = section.Url("topurl"),
                Service = section.Url("service"),
                Principal = principal,
                Keytab = keytab,
                Krb5Config = section.ReadableFile("krb5_config", "krb5.conf"),
                CaBundle = section.ReadableFile("ca_bundle", "CA bundle"),
                ServiceCaBundle = section.ReadableFile("service_ca_bundle", "CA bundle"),
                ServiceAuth = section.Choice("service_auth", CliServiceAuth.Auto, [("auto", CliServiceAuth.Auto), ("none", CliServiceAuth.None), ("negotiate", CliServiceAuth.Negotiate), ("basic", CliServiceAuth.Basic)]),
                ServiceUser = section.String("service_user"),
                ServicePasswordFile = section.ReadableFile("service_password_file", "password file"),
                PollInterval = section.Seconds("poll_interval_seconds", TimeSpan.FromSeconds(6), 0.1, 600),
                MaxRetries = section.Integer("max_retries", 5, 1, 100),
                RetryInterval = section.Seconds("retry_interval_seconds", TimeSpan.FromSeconds(1), 0.01, 60),
                Sources = [path],
            };
            if (profile.ServiceAuth == CliServiceAuth.Basic && !section.Has("service_user"))
            {
                section.Error("service_auth", $"\"basic\" needs {section.KeyPath("service_user")} (and a password in service_password_file or KOJICOMPOSER_PASSWORD)");
            }

            layers.Add((name, new Layer(profile, keys)));
        }

        root.ReportUnknownEntries();
        errors.ThrowIfAny();
        return layers;
    }

    private static readonly string[] Keys =
    [
        "server", "weburl", "topurl", "service", "principal", "keytab", "krb5_config", "ca_bundle", "service_ca_bundle",
        "service_auth", "service_user", "service_password_file", "poll_interval_seconds", "max_retries", "retry_interval_seconds",
    ];

    private static CliProfile Merge(CliProfile earlier, Layer later)
    {
        var p = later.Profile;
        bool Has(string key) => later.Keys.Contains(key);
        return earlier with
        {
            Server = Has("server") ? p.Server : earlier.Server,
            WebUrl = Has("weburl") ? p.WebUrl : earlier.WebUrl,
            TopUrl = Has("topurl") ? p.TopUrl : earlier.TopUrl,
            Service = Has("service") ? p.Service : earlier.Service,
            Principal = Has("principal") ? p.Principal : earlier.Principal,
            Keytab = Has("keytab") ? p.Keytab : Has("principal") ? null : earlier.Keytab,
            Krb5Config = Has("krb5_config") ? p.Krb5Config : earlier.Krb5Config,
            CaBundle = Has("ca_bundle") ? p.CaBundle : earlier.CaBundle,
            ServiceCaBundle = Has("service_ca_bundle") ? p.ServiceCaBundle : earlier.ServiceCaBundle,
            ServiceAuth = Has("service_auth") ? p.ServiceAuth : earlier.ServiceAuth,
            ServiceUser = Has("service_user") ? p.ServiceUser : earlier.ServiceUser,
            ServicePasswordFile = Has("service_password_file") ? p.ServicePasswordFile : earlier.ServicePasswordFile,
            PollInterval = Has("poll_interval_seconds") ? p.PollInterval : earlier.PollInterval,
            MaxRetries = Has("max_retries") ? p.MaxRetries : earlier.MaxRetries,
            RetryInterval = Has("retry_interval_seconds") ? p.RetryInterval : earlier.RetryInterval,
            Sources = [.. earlier.Sources, .. p.Sources],
        };
    }
}
