using KojiComposer.Config;
using KojiComposer.Config.Cli;
using KojiComposer.HubBridge.Authentication;
using KojiComposer.HubBridge.Configuration;

namespace KojiComposer.Cli.Doctor;

/// <summary>
/// One <c>doctor</c> run: the invocation's context, the report, and what earlier checks found that later ones build
/// on (the profile, the service config, which identities got a ticket, which hubs answered), so a check whose
/// ground failed above is skipped with a note instead of failing a second time for the same reason.
/// </summary>
internal sealed class DoctorRun(CommandContext context, DoctorReport report, string profileName, string configPath, bool configGiven)
{
    public CommandContext Context { get; } = context;

    public DoctorReport Report { get; } = report;

    /// <summary>The service config's path (<c>--config</c> or the default).</summary>
    public string ConfigPath { get; } = configPath;

    /// <summary>True when <c>--config</c> was given (then a missing file is a failure, not a skip).</summary>
    public bool ConfigGiven { get; } = configGiven;

    /// <summary>The profile, when it is valid.</summary>
    public CliProfile? Profile { get; set; }

    /// <summary>The service config, when it was read and is valid.</summary>
    public KojiComposerOptions? Options { get; set; }

    /// <summary>The hub and identities of <see cref="Options"/>, when it has a <c>[hub]</c>.</summary>
    public HubConfiguration? Hub { get; set; }

    /// <summary>Identities (by check name) whose keytab holds them and that got a ticket.</summary>
    public HashSet<string> KerberosOk { get; } = new(StringComparer.Ordinal);

    /// <summary>Hubs that answered an anonymous call.</summary>
    public HashSet<Uri> HubsUp { get; } = [];

    /// <summary>True when the service's <c>/health</c> answered.</summary>
    public bool ServiceReached { get; set; }

    /// <summary>The profile's name for check names: <c>profile koji</c>.</summary>
    public string ProfileLabel => $"profile {Profile?.Name ?? profileName}";

    public Task AddAsync(CheckResult result) => Report.AddAsync(result);

    /// <summary>A URL as doctor prints it: never with the user name and password a URL may carry
    /// (<c>https://user:password@host</c>).</summary>
    public static string Show(Uri url) =>
        url.UserInfo.Length == 0 ? url.AbsoluteUri : new UriBuilder(url) { UserName = "", Password = "" }.Uri.AbsoluteUri;

    // The krb5.conf this process started with (KRB5_CONFIG, else the system's), for an identity whose file names none.
    private readonly string? _defaultKrb5 = Environment.GetEnvironmentVariable("KRB5_CONFIG") is { Length: > 0 } start ? start
        : File.Exists("/etc/krb5.conf") ? "/etc/krb5.conf" : null;

    /// <summary>Points Kerberos at the profile's krb5.conf (<c>krb5_config</c>) before the profile's identity is used.</summary>
    public void UseProfileKerberos() => UseKerberosConfig(Profile?.Krb5Config);

    /// <summary>Points Kerberos at the service's krb5.conf (<c>[kerberos] config</c>) before its identities are used,
    /// as kojicomposerd does. The library has one setting per process, so each side sets its own in turn.</summary>
    public void UseServiceKerberos() => UseKerberosConfig(Options?.Kerberos.ConfigFile);

    private void UseKerberosConfig(string? file)
    {
        if ((file ?? _defaultKrb5) is { } path)
        {
            KerberosCredentials.UseConfigFile(path);
        }
    }
}
