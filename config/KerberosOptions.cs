using KojiComposer.Config.Binding;

namespace KojiComposer.Config;

/// <summary>The <c>[kerberos]</c> section: process-wide Kerberos settings shared by both identities.</summary>
public sealed record KerberosOptions
{
    /// <summary><c>config</c>: absolute path of a readable krb5.conf, exported as <c>KRB5_CONFIG</c>; null leaves
    /// the library default (<c>/etc/krb5.conf</c>, or <c>KRB5_CONFIG</c> from the environment).</summary>
    public string? ConfigFile { get; init; }

    /// <summary><c>credential_cache_dir</c>: absolute path of the directory for the per-identity credential caches
    /// obtained from keytabs; null lets the login code choose (it need not exist yet: the service may create it,
    /// e.g. systemd's <c>RuntimeDirectory=</c>).</summary>
    public string? CredentialCacheDirectory { get; init; }

    internal static KerberosOptions Bind(ConfigSection section) => new()
    {
        ConfigFile = section.ReadableFile("config", "Kerberos configuration"),
        CredentialCacheDirectory = section.AbsolutePath("credential_cache_dir"),
    };
}
