using System.CommandLine;
using KojiComposer.Cli.Service;
using KojiComposer.Config;
using KojiComposer.Config.Cli;
using KojiComposer.HubBridge.Authentication;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.HubBridge.Transport;

namespace KojiComposer.Cli;

/// <summary>
/// What one invocation works with: the console, the global options, and the profile they select (read lazily,
/// so <c>--help</c> and usage errors never need a config file), with the hub and the service it names.
/// </summary>
public sealed class CommandContext : IDisposable
{
    private readonly ParseResult _parse;
    private CliProfile? _profile;
    private ServiceClient? _service;

    public CommandContext(ParseResult parse, CliConsole console)
    {
        _parse = parse;
        Console = console;
    }

    public CliConsole Console { get; }

    /// <summary><c>--format json</c>.</summary>
    public bool Json => string.Equals(_parse.GetValue(GlobalOptions.Format), "json", StringComparison.Ordinal);

    /// <summary><c>-q</c>.</summary>
    public bool Quiet => _parse.GetValue(GlobalOptions.Quiet);

    /// <summary>Where human text goes: stderr with <c>--format json</c>, else stdout.</summary>
    public TextWriter Human => Json ? Console.Error : Console.Out;

    /// <summary>The profile, with <c>--hub</c>/<c>--server</c> applied.</summary>
    /// <exception cref="ConfigurationException">A file is invalid, or the named profile does not exist.</exception>
    public CliProfile Profile => _profile ??= ResolveProfile();

    /// <summary>Problems of the profiles not selected (they do not stop this one; <c>doctor</c> mentions them), once
    /// <see cref="Profile"/> has been read.</summary>
    public IReadOnlyList<ConfigurationError> OtherProfilesProblems { get; private set; } = [];

    /// <summary>The files profiles are read from, in order.</summary>
    public IReadOnlyList<string> ProfileFiles
    {
        get
        {
            var given = _parse.GetValue(GlobalOptions.CliConfig);
            return given is { Length: > 0 }
                ? given
                : [CliConfiguration.SystemPath, CliConfiguration.UserPath(Console.Home, Console.Environment("XDG_CONFIG_HOME"))];
        }
    }

    /// <summary>The hub's URL.</summary>
    /// <exception cref="ConfigurationException">Neither the profile nor <c>--hub</c> names one.</exception>
    public Uri HubUrl => Profile.Server ?? throw Problem("server", "no Koji hub: set server = \"https://koji.example.com/kojihub\" in the profile, or pass --hub URL");

    /// <summary>The hub connection settings of the profile.</summary>
    public KojiHubOptions HubOptions => new()
    {
        Url = HubUrl,
        CaBundle = Profile.CaBundle,
        Retry = new KojiRetryOptions
        {
            Attempts = Profile.MaxRetries,
            InitialDelay = Profile.RetryInterval,
            MaxDelay = TimeSpan.FromSeconds(Math.Max(30, Profile.RetryInterval.TotalSeconds)),
            ServerOfflineWait = Profile.RetryInterval * 10,
        },
    };

    /// <summary>Who we are in Kerberos: the profile's principal and keytab, or the ambient credential cache.</summary>
    public KerberosIdentity Identity
    {
        get
        {
            if (Profile.Krb5Config is { } krb5)
            {
                KerberosCredentials.UseConfigFile(krb5);
            }

            return new KerberosIdentity(Profile.Principal, Profile.Keytab);
        }
    }

    /// <summary>An anonymous connection to the hub, for reads (koji's CLI checks targets before logging in).</summary>
    public KojiHubConnection OpenHub() => new(HubOptions);

    /// <summary>Logs in to the hub as <see cref="Identity"/>.</summary>
    public Task<KojiSession> LoginAsync(CancellationToken cancellationToken) =>
        KojiSession.LoginAsync(HubOptions, Identity, cancellationToken: cancellationToken);

    /// <summary>True when a service URL is known (profile or <c>--server</c>).</summary>
    public bool HasService => Profile.Service is not null;

    /// <summary>The service API client.</summary>
    /// <exception cref="ConfigurationException">Neither the profile nor <c>--server</c> names the service.</exception>
    public ServiceClient Service => _service ??= new ServiceClient(
        Profile.Service ?? throw Problem("service", "no KojiComposer service: set service = \"https://kojicomposer.example.com\" in the profile, or pass --server URL"),
        Profile,
        Identity,
        Console.Environment);

    public void Dispose() => _service?.Dispose();

    private ConfigurationException Problem(string key, string problem) =>
        new([new ConfigurationError(ProfileSource(), null, $"{Profile.Name}.{key}", problem)]);

    private string ProfileSource() => Profile.Sources.Count > 0 ? Profile.Sources[^1] : string.Join(", ", ProfileFiles);

    private CliProfile ResolveProfile()
    {
        var files = ProfileFiles;
        var explicitFiles = _parse.GetValue(GlobalOptions.CliConfig) is { Length: > 0 } given ? given.ToHashSet(StringComparer.Ordinal) : null;
        var read = CliConfiguration.Read(files, explicitFiles);
        var profiles = read.Profiles;
        var name = _parse.GetValue(GlobalOptions.Profile);
        var hub = ParseUrl(_parse.GetValue(GlobalOptions.Hub), "--hub");
        var server = ParseUrl(_parse.GetValue(GlobalOptions.Server), "--server");
        OtherProfilesProblems = read.ProblemsOutside(name ?? CliProfile.DefaultName);
        CliProfile profile;

        // Like koji's config: only the selected profile has to be right (a keytab path of another machine in [stg]
        // must not stop [koji]); its problems are all listed.
        if (read.Select(name ?? CliProfile.DefaultName) is { } found)
        {
            profile = found;
        }
        else if (name is null)
        {
            // No default profile anywhere: fine when the command line says where to go.
            profile = new CliProfile { Name = CliProfile.DefaultName };
        }
        else
        {
            var known = profiles.Count == 0 ? "no profiles at all" : "profiles: " + string.Join(", ", profiles.Keys.Order(StringComparer.Ordinal));
            throw new ConfigurationException([new ConfigurationError(string.Join(", ", files), null, "", $"no profile [{name}] ({known})")]);
        }

        return profile with { Server = hub ?? profile.Server, Service = server ?? profile.Service };
    }

    private static Uri? ParseUrl(string? text, string option) =>
        text is null ? null
        : Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && url.Host.Length > 0 ? url
        : throw new ArgumentException($"{option}: must be an absolute http or https URL, got \"{text}\"");
}
