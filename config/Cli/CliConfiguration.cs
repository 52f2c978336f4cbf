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
    /// it is in <paramref name="required"/>) and returns every profile, merged, insisting that all are valid.</summary>
    /// <exception cref="ConfigurationException">A file is unreadable or invalid, or any profile has a problem; all
    /// problems are listed.</exception>
    public static IReadOnlyDictionary<string, CliProfile> Load(IReadOnlyList<string> paths, IReadOnlySet<string>? required = null)
    {
        var profiles = Read(paths, required);
        return profiles.AllProblems is { Count: > 0 } problems ? throw new ConfigurationException(problems) : profiles.Profiles;
    }

    /// <summary>Reads the files like <see cref="Load"/>, but keeps each profile's problems with it (see
    /// <see cref="CliProfiles"/>): a value is checked where the merge keeps it, so a key the user's file sets again
    /// replaces the site file's value and its problem, and checks across keys (<c>basic</c> needs
    /// <c>service_user</c>, a keytab needs a principal) see the merged profile.</summary>
    /// <exception cref="ConfigurationException">A file is unreadable, not TOML, or has a key outside any profile;
    /// all such problems are listed.</exception>
    public static CliProfiles Read(IReadOnlyList<string> paths, IReadOnlySet<string>? required = null)
    {
        var profiles = new Dictionary<string, Merged>(StringComparer.Ordinal);
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
                    if (profiles.TryGetValue(name, out var earlier))
                    {
                        earlier.Add(layer);
                    }
                    else
                    {
                        profiles[name] = new Merged(layer);
                    }
                }
            }
            catch (ConfigurationException e)
            {
                errors.AddRange(e.Errors);
            }
        }

        if (errors.Count > 0)
        {
            throw new ConfigurationException(errors);
        }

        var order = paths.Distinct(StringComparer.Ordinal).Select((path, i) => (path, i)).ToDictionary(p => p.path, p => p.i, StringComparer.Ordinal);
        var problems = profiles
            .SelectMany(p => p.Value.Problems().Select(e => (Profile: p.Key, Error: e)))
            .OrderBy(p => order.GetValueOrDefault(p.Error.File))
            .ThenBy(p => p.Error.Line ?? int.MaxValue)
            .ToList();
        return new CliProfiles(profiles.ToDictionary(p => p.Key, p => p.Value.Profile, StringComparer.Ordinal), problems);
    }

    /// <summary>One file's table: the profile as it says, the keys it sets (with their lines) and its problems.</summary>
    private sealed record Layer(CliProfile Profile, IReadOnlyDictionary<string, int?> Keys, IReadOnlyList<ConfigurationError> Problems);

    /// <summary>A profile merged from its layers so far, with the problems of the values it kept and where each key
    /// was last set.</summary>
    private sealed class Merged(Layer first)
    {
        private readonly List<ConfigurationError> _problems = [.. first.Problems];
        private readonly Dictionary<string, (string File, int? Line)> _setAt = first.Keys.ToDictionary(k => k.Key, k => (first.Profile.Sources[0], k.Value), StringComparer.Ordinal);

        public CliProfile Profile { get; private set; } = first.Profile;

        public void Add(Layer later)
        {
            var name = Profile.Name;
            // A key set again replaces the earlier value and its problem; a principal alone drops the keytab too.
            _problems.RemoveAll(e => Replaces(later, e.Key.StartsWith(name + ".", StringComparison.Ordinal) ? e.Key[(name.Length + 1)..] : null));
            if (later.Keys.ContainsKey("principal") && !later.Keys.ContainsKey("keytab"))
            {
                _setAt.Remove("keytab");
            }

            foreach (var (key, line) in later.Keys)
            {
                _setAt[key] = (later.Profile.Sources[0], line);
            }

            _problems.AddRange(later.Problems);
            Profile = Merge(Profile, later);
        }

        /// <summary>The problems of the merged profile: those of the values it kept, then the checks across keys.</summary>
        public IEnumerable<ConfigurationError> Problems()
        {
            var name = Profile.Name;
            if (Profile.ServiceAuth == CliServiceAuth.Basic && !_setAt.ContainsKey("service_user") && _setAt.TryGetValue("service_auth", out var auth))
            {
                yield return new ConfigurationError(auth.File, auth.Line, $"{name}.service_auth", $"\"basic\" needs {name}.service_user (and a password in service_password_file or KOJICOMPOSER_PASSWORD)");
            }

            // A keytab may hold several principals; which one to use cannot be told without krb5 tools, so the
            // principal must be named. (A malformed principal has been reported already.)
            if (_setAt.TryGetValue("keytab", out var keytab) && !_setAt.ContainsKey("principal"))
            {
                yield return new ConfigurationError(keytab.File, keytab.Line, $"{name}.keytab", $"needs {name}.principal as well: name the keytab's principal to log in as");
            }

            foreach (var problem in _problems)
            {
                yield return problem;
            }
        }

        private static bool Replaces(Layer later, string? key) =>
            key is not null && (later.Keys.ContainsKey(key) || (key == "keytab" && later.Keys.ContainsKey("principal")));
    }

    private static List<(string Name, Layer Layer)> Parse(string toml, string path)
    {
        var errors = new ConfigErrorList(path);
        var document = TomlDocumentReader.Read(toml, errors);
        errors.ThrowIfAny();
        var root = ConfigSection.Root(document!, errors);
        var bound = new List<(string Name, CliProfile Profile, Dictionary<string, int?> Keys)>();
        foreach (var name in root.TableNames())
        {
            var section = root.Section(name);
            var keys = Keys.Where(section.Has).ToDictionary(k => k, section.LineOf, StringComparer.Ordinal);
            var profile = new CliProfile
            {
                Name = name,
                Server = section.Url("server"),
                WebUrl = section.Url("weburl"),
                TopUrl = section.Url("topurl"),
                Service = section.Url("service"),
                Principal = section.Principal("principal"),
                Keytab = section.ReadableFile("keytab", "keytab"),
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
            bound.Add((name, profile, keys));
        }

        root.ReportUnknownEntries();
        IReadOnlyList<ConfigurationError> problems = [];
        try
        {
            errors.ThrowIfAny();
        }
        catch (ConfigurationException e)
        {
            problems = e.Errors;
        }

        // A problem belongs to the profile its key is in (the longest name that prefixes it: a quoted name may hold
        // dots); the rest (keys outside any table) is the file's.
        string? Owner(ConfigurationError e) => bound
            .Select(b => b.Name)
            .Where(n => e.Key.StartsWith(n + ".", StringComparison.Ordinal) || e.Key == n)
            .MaxBy(n => n.Length);
        var fileProblems = problems.Where(e => Owner(e) is null).ToList();
        if (fileProblems.Count > 0)
        {
            throw new ConfigurationException(fileProblems);
        }

        return [.. bound.Select(b => (b.Name, new Layer(b.Profile, b.Keys, [.. problems.Where(e => Owner(e) == b.Name)])))];
    }

    private static readonly string[] Keys =
    [
        "server", "weburl", "topurl", "service", "principal", "keytab", "krb5_config", "ca_bundle", "service_ca_bundle",
        "service_auth", "service_user", "service_password_file", "poll_interval_seconds", "max_retries", "retry_interval_seconds",
    ];

    private static CliProfile Merge(CliProfile earlier, Layer later)
    {
        var p = later.Profile;
        bool Has(string key) => later.Keys.ContainsKey(key);
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
