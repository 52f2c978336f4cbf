using System.Text.RegularExpressions;
using KojiComposer.Config.Binding;

namespace KojiComposer.Config;

/// <summary>
/// <c>[builder.targets.container]</c>: container registry pushes (image types edge-container, iot-container,
/// iot-bootable-container) with skopeo, like osbuild-worker.toml's <c>[containers]</c>.
/// </summary>
public sealed partial record ContainerTargetOptions
{
    /// <summary><c>skopeo</c>: the skopeo executable, a name on PATH or a path; default <c>skopeo</c>.</summary>
    public string Skopeo { get; init; } = "skopeo";

    /// <summary><c>domain</c>: the registry put before names that carry no registry host, e.g.
    /// <c>registry.example.com</c>; null = such names are refused.</summary>
    public string? Domain { get; init; }

    /// <summary><c>path_prefix</c>: a path put between <see cref="Domain"/> and such names, e.g. <c>koji</c>.</summary>
    public string? PathPrefix { get; init; }

    /// <summary><c>auth_file_path</c>: a containers auth.json with the registry's credentials; null = skopeo's
    /// default lookup.</summary>
    public string? AuthFile { get; init; }

    /// <summary><c>cert_path</c>: a directory of certificates (<c>*.crt</c>, client <c>*.cert</c>/<c>*.key</c>) for
    /// the registry.</summary>
    public string? CertDirectory { get; init; }

    /// <summary><c>tls_verify</c>: check the registry's certificate (and require https); default true.</summary>
    public bool TlsVerify { get; init; } = true;

    /// <summary><c>timeout_seconds</c>: how long one push (skopeo copy and the digest check) may take; default 1 h.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary><c>username</c>: a registry user, with <see cref="PasswordFile"/>, instead of an auth file; the
    /// credentials are handed to skopeo in a private temporary auth file, never on its command line.</summary>
    public string? Username { get; init; }

    /// <summary><c>password_file</c>: a file holding the password (or token) of <see cref="Username"/>, the whole
    /// file without its trailing newline.</summary>
    public string? PasswordFile { get; init; }

    /// <summary><c>retry_times</c>: skopeo's own retries of a failed request (<c>--retry-times</c>), 0 to 10; default 3.
    /// The target step's retries (<c>max_attempts</c>) come on top.</summary>
    public int RetryTimes { get; init; } = 3;

    internal static ContainerTargetOptions Bind(ConfigSection section)
    {
        var d = new ContainerTargetOptions();
        var certs = section.AbsolutePath("cert_path");
        if (certs is not null && !Directory.Exists(certs))
        {
            section.Error("cert_path", $"{ConfigText.Quote(certs)} is not a directory");
        }

        // A registry host, as the reference grammar has it: no scheme, no path (an organisation goes in path_prefix).
        var domain = section.String("domain")?.TrimEnd('/');
        if (domain is not null && !DomainPattern().IsMatch(domain))
        {
            section.Error("domain", $"must be a registry host[:port] such as registry.example.com (no scheme; a path goes in path_prefix), got {ConfigText.Quote(domain)}");
        }

        var authFile = section.ReadableFile("auth_file_path", "the registry auth file");
        var username = section.String("username");
        var passwordFile = section.ReadableFile("password_file", "the registry password file");
        if (username is not null && (username.Length == 0 || username.Contains(':', StringComparison.Ordinal)))
        {
            section.Error("username", "must be a non-empty user name without ':'");
        }

        if (section.Has("username") && !section.Has("password_file"))
        {
            section.Error("username", "needs password_file (a file holding the password)");
        }
        else if (!section.Has("username") && section.Has("password_file"))
        {
            section.Error("password_file", "needs username (the user the password belongs to)");
        }

        if (section.Has("username") && section.Has("auth_file_path"))
        {
            section.Error("username", "give either auth_file_path or username with password_file, not both");
        }

        return new ContainerTargetOptions
        {
            Skopeo = section.NonEmptyString("skopeo", d.Skopeo),
            Domain = domain,
            PathPrefix = section.String("path_prefix")?.Trim('/'),
            AuthFile = authFile,
            CertDirectory = certs,
            TlsVerify = section.Boolean("tls_verify", d.TlsVerify),
            Timeout = section.Seconds("timeout_seconds", d.Timeout, 1, 86400),
            Username = username,
            PasswordFile = passwordFile,
            RetryTimes = section.Integer("retry_times", d.RetryTimes, 0, 10),
        };
    }

    [GeneratedRegex(@"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?$", RegexOptions.CultureInvariant)]
    private static partial Regex DomainPattern();
}
